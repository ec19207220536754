// Package messaging connects the programs service to NATS: the consumers of
// identity and matching events, and the export part answered over
// request–reply. Programs' own events leave through the outbox relay.
package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/talentbridge/platform/services/programs/internal/app"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Service names the durable consumers: "programs-<handler>".
const Service = "programs"

// Handlers turns events into use cases.
type Handlers struct {
	app *app.Service
}

// NewHandlers returns the event handlers.
func NewHandlers(a *app.Service) *Handlers { return &Handlers{app: a} }

// Consumers describes the durable consumers the service runs.
func (h *Handlers) Consumers() []natsbus.Consumer {
	return []natsbus.Consumer{
		{Service: Service, Name: "identity", Stream: "IDENTITY",
			Subjects: []string{events.UserCreated, events.UserVerified, events.UserDeleted}, Handle: h.Identity},
		{Service: Service, Name: "rounds", Stream: "MATCHING",
			Subjects: []string{events.RoundCompleted}, Handle: h.RoundCompleted},
		// The service's own publications, run against the saved searches
		// that want alerts.
		{Service: Service, Name: "search-alerts", Stream: "PROGRAMS",
			Subjects: []string{events.ProgramPublished}, Handle: h.ProgramPublished},
		// An erased profile takes its saved searches with it.
		{Service: Service, Name: "profile-erasure", Stream: "PROFILES",
			Subjects: []string{events.ProfileErased}, Handle: h.ProfileErased},
		// Applicants' eligibility facts for the eligible=true search, one
		// consumer for the three subjects so that an erasure is never
		// overtaken by an update of the same profile.
		{Service: Service, Name: "applicants", Stream: "PROFILES",
			Subjects: []string{events.ProfileCreated, events.ProfileUpdated, events.ProfileErased}, Handle: h.Applicants},
	}
}

// Applicants keeps the read model of applicants' eligibility facts:
// created and updated profiles record their facts at the event's version
// (an older event never replaces a newer one), an erased one leaves only
// its id behind.
func (h *Handlers) Applicants(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.ProfileCreated, events.ProfileUpdated:
		var p profilesev.Profile
		if err := ev.Decode(&p); err != nil {
			return err
		}
		id, err := userID(p.ID, ev)
		if err != nil {
			return err
		}
		return h.app.ProfileChanged(ctx, id, ev.AggregateVersion, eligibility.Applicant{Kind: p.Kind, HomeCountry: p.HomeCountry,
			DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear, Languages: p.Languages,
			AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo})
	case events.ProfileErased:
		var p profilesev.ProfileErased
		if err := ev.Decode(&p); err != nil {
			return err
		}
		id, err := userID(p.ProfileID, ev)
		if err != nil {
			return err
		}
		return h.app.ProfileErased(ctx, id, ev.AggregateVersion)
	}
	return nil
}

// ProgramPublished records search.matched for each alerting saved search
// that finds the program (once per search and program, however often the
// event arrives).
func (h *Handlers) ProgramPublished(ctx context.Context, ev events.Envelope) error {
	var p programsev.ProgramPublished
	if err := ev.Decode(&p); err != nil {
		return err
	}
	id := p.ID
	if id == "" {
		id = ev.Subject
	}
	return h.app.AlertSearches(ctx, id)
}

// ProfileErased deletes the saved searches of an erased profile's owner
// (the profile's id is the account's).
func (h *Handlers) ProfileErased(ctx context.Context, ev events.Envelope) error {
	var p profilesev.ProfileErased
	if err := ev.Decode(&p); err != nil {
		return err
	}
	id := p.ProfileID
	if id == "" {
		id = ev.Subject
	}
	return h.app.ForgetSearches(ctx, id)
}

// Identity keeps the read model of host accounts. Each event only ever
// raises a flag (verified, deleted), so a repeated, late or early event
// (user.verified before user.created) leaves the same state.
func (h *Handlers) Identity(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.UserCreated:
		var p identity.UserCreated
		if err := ev.Decode(&p); err != nil {
			return err
		}
		id, err := userID(p.UserID, ev)
		if err != nil {
			return err
		}
		return h.app.HostCreated(ctx, id, p.Role, p.Status)
	case events.UserVerified:
		var p identity.UserVerified
		if err := ev.Decode(&p); err != nil {
			return err
		}
		id, err := userID(p.UserID, ev)
		if err != nil {
			return err
		}
		return h.app.HostVerified(ctx, id, p.Role)
	case events.UserDeleted:
		var p identity.UserDeleted
		if err := ev.Decode(&p); err != nil {
			return err
		}
		id, err := userID(p.UserID, ev)
		if err != nil {
			return err
		}
		if err := h.app.ForgetSearches(ctx, id); err != nil {
			return err
		}
		return h.app.HostDeleted(ctx, id, p.Role)
	}
	return nil
}

// userID takes the account id from the payload, or from the envelope's
// subject, which is the same id; an event naming two different accounts is
// malformed.
func userID(fromData string, ev events.Envelope) (string, error) {
	switch {
	case fromData == "":
		return ev.Subject, nil
	case fromData != ev.Subject:
		return "", fmt.Errorf("%w: %s names user %q in data but %q as subject", events.ErrMalformed, ev.Type, fromData, ev.Subject)
	}
	return fromData, nil
}

// RoundCompleted locks the programs of a round that has run.
func (h *Handlers) RoundCompleted(ctx context.Context, ev events.Envelope) error {
	if ev.Type != events.RoundCompleted {
		return nil
	}
	var p matching.RoundCompleted
	if err := ev.Decode(&p); err != nil {
		return err
	}
	round := p.RoundID
	if round == "" {
		round = ev.Subject
	}
	return h.app.RoundCompleted(ctx, round, p.ProgramIDs)
}

// ExportSubject is where the service answers "what do you hold about this
// user?" for GET /profiles/me/export (the convention of
// shared/events/profiles).
var ExportSubject = profilesev.ExportSubject(profilesev.ServicePrograms)

// ExportData is what programs holds about a user: the programs they host
// and the searches they saved.
type ExportData struct {
	Programs []programsev.Program      `json:"programs"`
	Searches []apiprograms.SavedSearch `json:"searches"`
	// EligibilityFacts are the facts of the person's profile kept for the
	// "only programs I can apply to" search; absent when none are held.
	EligibilityFacts *eligibility.Applicant `json:"eligibilityFacts,omitempty"`
}

// ExportEndpoint answers export requests. The queue group, named after the
// service, lets one replica answer each.
func ExportEndpoint(a *app.Service, log *slog.Logger) natsbus.Endpoint {
	return natsbus.Endpoint{Name: "export", Subject: ExportSubject, Queue: Service,
		Handle: func(data []byte) (any, *natsbus.RPCError) {
			reply, code := export(a, data)
			if reply.Error != "" {
				log.Warn("export request failed", "err", reply.Error)
				return reply, &natsbus.RPCError{Code: code, Description: reply.Error}
			}
			return reply, nil
		}}
}

// export builds the reply and, when it fails, the error code.
func export(a *app.Service, data []byte) (profilesev.ExportPart, string) {
	reply := profilesev.ExportPart{Service: profilesev.ServicePrograms}
	var req profilesev.ExportRequest
	if err := json.Unmarshal(data, &req); err != nil || req.UserID == "" {
		reply.Error = "the request must be {\"userId\": \"...\"}"
		return reply, "400"
	}
	ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
	defer cancel()
	progs, err := a.Export(ctx, req.UserID)
	if err != nil {
		reply.Error = "programs could not be read; try again"
		return reply, "503"
	}
	searches, err := a.ExportSearches(ctx, req.UserID)
	if err != nil {
		reply.Error = "saved searches could not be read; try again"
		return reply, "503"
	}
	out := ExportData{Programs: make([]programsev.Program, len(progs)), Searches: make([]apiprograms.SavedSearch, len(searches))}
	for i, p := range progs {
		out.Programs[i] = app.Snapshot(p)
	}
	for i, s := range searches {
		out.Searches[i] = app.SavedSearchOf(s)
	}
	if out.EligibilityFacts, err = a.ExportApplicant(ctx, req.UserID); err != nil {
		reply.Error = "eligibility facts could not be read; try again"
		return reply, "503"
	}
	if reply.Data, err = json.Marshal(out); err != nil {
		reply.Error = "programs could not be encoded"
		reply.Data = nil
		return reply, "500"
	}
	return reply, ""
}
