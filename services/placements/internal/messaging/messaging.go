// Package messaging connects the placements service to NATS: the durable
// consumers that make placements from accepted offers, keep the programs
// and profiles read models, and erase a person; and the responder of the
// data export.
package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/talentbridge/platform/services/placements/internal/app"
	"github.com/talentbridge/platform/services/placements/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Service names the consumers: "placements-<name>".
const Service = placementsev.Service

// Consumer names.
const (
	OffersConsumer   = "offers"
	ProgramsConsumer = "programs"
	ProfilesConsumer = "profiles"
)

// Handlers turn events into use-case calls.
type Handlers struct {
	App *app.Service
}

// Consumers returns the service's durable consumers. Each reads only its
// owner's stream and subjects (natsbus refuses anything else).
func (h Handlers) Consumers() []natsbus.Consumer {
	return append([]natsbus.Consumer{
		// Offers wait for the program and profile read models, so they
		// are retried for longer than the default.
		{Service: Service, Name: OffersConsumer, Stream: "MATCHING", Subjects: []string{events.OfferAccepted},
			Handle: h.OfferAccepted, MaxDeliver: 20, Concurrency: 4},
		{Service: Service, Name: ProgramsConsumer, Stream: "PROGRAMS",
			Subjects: []string{events.ProgramPublished, events.ProgramUpdated, events.ProgramClosed},
			Handle:   h.Program, Concurrency: 4},
		{Service: Service, Name: ProfilesConsumer, Stream: "PROFILES",
			Subjects: []string{events.ProfileCreated, events.ProfileUpdated}, Handle: h.Profile, Concurrency: 4},
	}, natsbus.ErasureConsumers(Service, profilesev.ErasureHandler(h.App.Erase))...)
}

// Start creates and starts the consumers.
func (h Handlers) Start(ctx context.Context, bus *natsbus.Bus) error {
	return bus.ConsumeAll(ctx, h.Consumers())
}

// OfferAccepted makes the placement of an accepted offer, once per match.
func (h Handlers) OfferAccepted(ctx context.Context, ev events.Envelope) error {
	var m matching.MatchChanged
	if err := ev.Decode(&m); err != nil {
		return err
	}
	if m.MatchID == "" {
		m.MatchID = ev.Subject
	}
	if m.MatchID == "" || m.ApplicantID == "" || m.ProgramID == "" {
		return fmt.Errorf("%w: %s without matchId, applicantId or programId", events.ErrMalformed, ev.Type)
	}
	_, err := h.App.CreateFromOffer(ctx, app.AcceptedOffer{MatchID: m.MatchID, ApplicantID: m.ApplicantID,
		ProgramID: m.ProgramID, HostID: m.HostID})
	if errors.Is(err, domain.ErrNoDirection) {
		return natsbus.Permanent(err)
	}
	return err
}

// Program keeps a program's facts; program.closed carries no snapshot.
func (h Handlers) Program(ctx context.Context, ev events.Envelope) error {
	var p programs.Program
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.ID == "" {
		p.ID = ev.Subject
	}
	if p.ID == "" || p.HostID == "" {
		if ev.Type == events.ProgramClosed {
			return nil
		}
		return fmt.Errorf("%w: %s without id or hostId", events.ErrMalformed, ev.Type)
	}
	prog := app.Program{ID: p.ID, HostID: p.HostID, Title: p.Title, Kind: p.Kind,
		HostCountry: p.HostCountry, Region: p.Region, Fields: p.Fields, StartDate: p.StartDate, EndDate: p.EndDate}
	if p.Stipend != nil {
		prog.Stipend = &app.Stipend{Amount: p.Stipend.Amount, Currency: p.Stipend.Currency, Period: p.Stipend.Period}
	}
	return h.App.RecordProgram(ctx, prog, ev.AggregateVersion)
}

// Profile keeps where an applicant comes from.
func (h Handlers) Profile(ctx context.Context, ev events.Envelope) error {
	var p profilesev.Profile
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.ID == "" {
		p.ID = ev.Subject
	}
	if p.ID == "" {
		return fmt.Errorf("%w: %s without id", events.ErrMalformed, ev.Type)
	}
	return h.App.RecordProfile(ctx, app.Profile{ID: p.ID, HomeCountry: p.HomeCountry, Region: p.Region,
		DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear, Languages: p.Languages}, ev.AggregateVersion)
}

// maxUserIDLen bounds the ids an export request may carry.
const maxUserIDLen = 200

// ExportEndpoint answers tb.rpc.placements.export with this service's part.
func ExportEndpoint(svc *app.Service, log *slog.Logger) natsbus.Endpoint {
	return natsbus.Endpoint{Name: "export", Subject: profilesev.ExportSubject(Service), Queue: Service,
		Handle: func(data []byte) (any, *natsbus.RPCError) {
			fail := func(code, msg string) (any, *natsbus.RPCError) {
				return profilesev.ExportPart{Service: Service, Error: msg}, &natsbus.RPCError{Code: code, Description: msg}
			}
			var req profilesev.ExportRequest
			if err := json.Unmarshal(data, &req); err != nil || strings.TrimSpace(req.UserID) == "" || len(req.UserID) > maxUserIDLen {
				return fail("400", `the request must be {"userId": "<id>"}`)
			}
			ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
			defer cancel()
			x, err := svc.Export(ctx, req.UserID)
			if err != nil {
				log.Error("export part", "err", err, "user_id", req.UserID)
				return fail("503", "the placements store could not be read")
			}
			raw, err := json.Marshal(x)
			if err != nil {
				return fail("500", "the placements could not be encoded")
			}
			return profilesev.ExportPart{Service: Service, Data: raw}, nil
		}}
}
