// Package messaging connects the profiles service to NATS: the durable
// consumers of application and account events, the responder of the data
// export request–reply, and the collector that asks the other services for
// their part of an export.
package messaging

import (
	"context"
	"fmt"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Service names the consumers: "profiles-applications" and
// "profiles-user-deleted".
const Service = "profiles"

// Consumer names.
const (
	ApplicationsConsumer = "applications"
	UserDeletedConsumer  = "user-deleted"
)

// Handlers turn events into use-case calls.
type Handlers struct {
	App *app.Service
}

// Consumers returns the service's durable consumers.
func (h Handlers) Consumers() []natsbus.Consumer {
	return []natsbus.Consumer{
		{
			Service:  Service,
			Name:     ApplicationsConsumer,
			Stream:   "MATCHING",
			Subjects: []string{events.ApplicationSubmitted, events.ApplicationWithdrawn, events.ApplicationsImported},
			Handle:   h.Application,
			// Entries are keyed and versioned by application, the events'
			// aggregate: applications may be handled side by side, and a
			// national rank import makes a million of them.
			Concurrency: 4,
		},
		{
			Service:  Service,
			Name:     UserDeletedConsumer,
			Stream:   "IDENTITY",
			Subjects: []string{events.UserDeleted},
			Handle:   h.UserDeleted,
		},
	}
}

// Start creates and starts the consumers.
//
// Besides them, "profiles-scrub" removes an erased person's earlier
// snapshots from the PROFILES stream once profile.erased is out.
func (h Handlers) Start(ctx context.Context, bus *natsbus.Bus) error {
	scrub := bus.ScrubConsumer(Service, "PROFILES", events.ProfileErased,
		[]string{events.ProfileCreated, events.ProfileUpdated})
	return bus.ConsumeAll(ctx, append(h.Consumers(), scrub))
}

// Application records application.submitted and .withdrawn in the read
// model that decides which hosts may see a profile. The entry is keyed by
// the application id and versioned by aggregateversion, so a repeated or
// older event changes nothing.
func (h Handlers) Application(ctx context.Context, ev events.Envelope) error {
	var a app.Application
	switch ev.Type {
	case events.ApplicationsImported:
		return h.imported(ctx, ev)
	case events.ApplicationSubmitted:
		var p matching.ApplicationSubmitted
		if err := ev.Decode(&p); err != nil {
			return err
		}
		a = app.Application{ID: p.ApplicationID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID,
			HostID: p.HostID, Status: app.ApplicationSubmitted, At: p.SubmittedAt}
	case events.ApplicationWithdrawn:
		var p matching.ApplicationWithdrawn
		if err := ev.Decode(&p); err != nil {
			return err
		}
		a = app.Application{ID: p.ApplicationID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID,
			HostID: p.HostID, Status: app.ApplicationWithdrawn, At: p.WithdrawnAt}
	default:
		return natsbus.Permanent(fmt.Errorf("unexpected event type %q", ev.Type))
	}
	if a.ID == "" {
		a.ID = ev.Subject
	}
	if a.ApplicantID == "" || a.HostID == "" {
		return fmt.Errorf("%w: %s without applicantId or hostId", events.ErrMalformed, ev.Type)
	}
	return h.App.RecordApplication(ctx, a, ev.AggregateVersion)
}

// imported records the applications of applications.imported, which a
// coordinator's rank import recorded for one applicant.
func (h Handlers) imported(ctx context.Context, ev events.Envelope) error {
	var p matching.ApplicationsImported
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.ApplicantID == "" {
		p.ApplicantID = ev.Subject
	}
	as := make([]app.Application, 0, len(p.Applications))
	for _, x := range p.Applications {
		if x.ApplicationID == "" || x.HostID == "" {
			return fmt.Errorf("%w: %s without applicationId or hostId", events.ErrMalformed, ev.Type)
		}
		as = append(as, app.Application{ID: x.ApplicationID, ApplicantID: p.ApplicantID, ProgramID: x.ProgramID,
			HostID: x.HostID, Status: app.ApplicationSubmitted, At: p.SubmittedAt})
	}
	return h.App.RecordImported(ctx, as)
}

// UserDeleted erases the profile of a deleted account and its entries in
// the applications read model. A second delivery finds nothing to erase.
func (h Handlers) UserDeleted(ctx context.Context, ev events.Envelope) error {
	var p identity.UserDeleted
	if err := ev.Decode(&p); err != nil {
		return err
	}
	id := p.UserID
	if id == "" {
		id = ev.Subject
	}
	if id == "" {
		return fmt.Errorf("%w: user.deleted without userId", events.ErrMalformed)
	}
	if err := h.App.EraseAccount(ctx, id); err != nil {
		return fmt.Errorf("erase account: %w", err) // retried: erasure must not be lost
	}
	return nil
}
