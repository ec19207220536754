// Package messaging connects the matching service to NATS: the durable
// consumers that build the read models of profiles and programs and make
// good the audit trail, the ordered consumers that keep each replica's
// recommendations current (Follow), and the responder of the data-export
// request–reply. The service's own events leave through the outbox relay.
package messaging

import (
	"context"
	"fmt"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Service names the durable consumers: "matching-<handler>".
const Service = "matching"

// Consumer names.
const (
	ProfilesConsumer = "profiles"
	ProgramsConsumer = "programs"
	AuditConsumer    = "audit"
	// UserDeletedConsumer takes an erased account's words out of the
	// threads it wrote in (hosts and coordinators have no profile, so
	// profile.erased never reaches them).
	UserDeletedConsumer = "user-deleted"
	// PlacementsConsumer keeps how accepted offers' placements finished,
	// for the outcome report.
	PlacementsConsumer = "placements"
)

// The streams of the events the read models are built from.
const (
	ProfilesStream = "PROFILES"
	ProgramsStream = "PROGRAMS"
)

// readModelWorkers is how many profile or program events one replica
// applies at once.
const readModelWorkers = 4

// Handlers turn events into use cases. Every handler is idempotent: a
// repeated or older event changes nothing, so two replicas sharing the
// durable consumers, redeliveries and replays are all safe.
type Handlers struct {
	App *app.Service
}

// The subjects of the read-model consumers, which the recommendations
// follow too (Follow).
var (
	profileSubjects = []string{events.ProfileCreated, events.ProfileUpdated, events.ProfileErased}
	programSubjects = []string{events.ProgramPublished, events.ProgramUpdated, events.ProgramClosed}
)

// Consumers returns the service's durable consumers.
func (h Handlers) Consumers() []natsbus.Consumer {
	return []natsbus.Consumer{
		// The read models are versioned per aggregate, so events of
		// different aggregates can be applied side by side.
		{Service: Service, Name: ProfilesConsumer, Stream: ProfilesStream, Concurrency: readModelWorkers,
			Subjects: profileSubjects, Handle: h.Profile},
		{Service: Service, Name: ProgramsConsumer, Stream: ProgramsStream, Concurrency: readModelWorkers,
			Subjects: programSubjects, Handle: h.Program},
		{Service: Service, Name: AuditConsumer, Stream: "MATCHING",
			Subjects: []string{events.MatchApproved, events.MatchRejected, events.MatchPublished,
				events.OfferAccepted, events.OfferDeclined}, Handle: h.App.AuditEvent},
		{Service: Service, Name: UserDeletedConsumer, Stream: "IDENTITY",
			Subjects: []string{events.UserDeleted}, Handle: h.UserDeleted},
		{Service: Service, Name: PlacementsConsumer, Stream: "PLACEMENTS",
			Subjects: []string{events.PlacementCompleted, events.PlacementEnded}, Handle: h.PlacementFinished},
	}
}

// Start creates and starts the consumers.
func (h Handlers) Start(ctx context.Context, bus *natsbus.Bus) error {
	return bus.ConsumeAll(ctx, h.Consumers())
}

// Profile applies profile.created, .updated and .erased to the read model.
func (h Handlers) Profile(ctx context.Context, ev events.Envelope) error {
	p, err := profileEntry(ev)
	if err != nil {
		return err
	}
	if p.Erased {
		return h.App.EraseApplicant(ctx, p.ID, ev.AggregateVersion, ev.Time)
	}
	return h.App.ApplyProfile(ctx, p)
}

// UserDeleted erases what a deleted account wrote in threads and bulk
// messages; running it again changes nothing.
func (h Handlers) UserDeleted(ctx context.Context, ev events.Envelope) error {
	var p identity.UserDeleted
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.UserID == "" {
		p.UserID = ev.Subject
	}
	if p.UserID == "" {
		return fmt.Errorf("%w: %s without userId", events.ErrMalformed, ev.Type)
	}
	return h.App.EraseAuthor(ctx, p.UserID)
}

// Program applies program.published, .updated and .closed to the read
// model.
func (h Handlers) Program(ctx context.Context, ev events.Envelope) error {
	p, err := programEntry(ev)
	if err != nil {
		return err
	}
	return h.App.ApplyProgram(ctx, p)
}

// profileEntry reads a profile event as the read-model entry it makes: the
// profile snapshot, or the tombstone of an erasure. The read model and the
// recommendations read events through it alike.
func profileEntry(ev events.Envelope) (domain.Profile, error) {
	switch ev.Type {
	case events.ProfileCreated, events.ProfileUpdated:
		var p profilesev.Profile
		if err := ev.Decode(&p); err != nil {
			return domain.Profile{}, err
		}
		if err := sameID(p.ID, ev); err != nil {
			return domain.Profile{}, err
		}
		p.ID = ev.Subject
		return domain.ProfileFromEvent(p, ev.AggregateVersion), nil
	case events.ProfileErased:
		var p profilesev.ProfileErased
		if err := ev.Decode(&p); err != nil {
			return domain.Profile{}, err
		}
		if err := sameID(p.ProfileID, ev); err != nil {
			return domain.Profile{}, err
		}
		return domain.ErasedProfile(ev.Subject, ev.AggregateVersion, ev.Time), nil
	}
	return domain.Profile{}, natsbus.Permanent(fmt.Errorf("unexpected event type %q", ev.Type))
}

// programEntry reads a program event as the read-model entry it makes.
func programEntry(ev events.Envelope) (domain.Program, error) {
	switch ev.Type {
	case events.ProgramPublished, events.ProgramUpdated, events.ProgramClosed:
		var p programsev.Program
		if err := ev.Decode(&p); err != nil {
			return domain.Program{}, err
		}
		if err := sameID(p.ID, ev); err != nil {
			return domain.Program{}, err
		}
		p.ID = ev.Subject
		return domain.ProgramFromEvent(p, ev.AggregateVersion), nil
	}
	return domain.Program{}, natsbus.Permanent(fmt.Errorf("unexpected event type %q", ev.Type))
}

// sameID refuses an event whose payload names another aggregate than its
// subject.
func sameID(fromData string, ev events.Envelope) error {
	if fromData != "" && fromData != ev.Subject {
		return fmt.Errorf("%w: %s names %q in data but %q as subject", events.ErrMalformed, ev.Type, fromData, ev.Subject)
	}
	return nil
}
