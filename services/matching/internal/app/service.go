// Package app holds the matching service's use cases: keeping the read
// models of profiles and programs, recommendations and candidates,
// applications and rank lists, rounds and their runs under per-program
// leases, the coordinators' review, offers, the audit trail, the outcome
// report and the data export.
package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// Defaults of Options.
const (
	DefaultLeaseTTL = 30 * time.Second
)

// Service runs the use cases.
type Service struct {
	store      Store
	dir        *Directory
	goFn       func(func(context.Context))
	now        func() time.Time
	log        *slog.Logger
	leaseTTL   time.Duration
	phasePause time.Duration
	onRun      func(d time.Duration, outcome string)
	instance   string
}

// Options are the service's ports and settings.
type Options struct {
	Store     Store
	Directory *Directory
	// Go runs a background task that must stop when its context ends
	// (platform.Loops.Go); round runs use it.
	Go  func(func(context.Context))
	Log *slog.Logger
	// Now is the clock; time.Now by default.
	Now func() time.Time
	// LeaseTTL is how long a run holds its programs without renewing;
	// renewals come every third of it. Default 30s.
	LeaseTTL time.Duration
	// PhasePause makes every phase of a run wait this long. Only tests set
	// it, to make runs overlap.
	PhasePause time.Duration
	// OnRunFinished is told how long each run took and how it ended
	// ("completed" or "failed"), for the round duration metric.
	OnRunFinished func(d time.Duration, outcome string)
	// Instance names this replica in run records.
	Instance string
}

// New returns the use cases.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = DefaultLeaseTTL
	}
	if o.OnRunFinished == nil {
		o.OnRunFinished = func(time.Duration, string) {}
	}
	if o.Go == nil {
		o.Go = func(f func(context.Context)) { go f(context.Background()) }
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: o.Store, dir: o.Directory, goFn: o.Go, now: o.Now, log: o.Log,
		leaseTTL: o.LeaseTTL, phasePause: o.PhasePause, onRun: o.OnRunFinished, instance: o.Instance}
}

// Caller is who makes a request.
type Caller struct {
	ID   string
	Role string
}

// Coordinator reports whether the caller coordinates (or administers).
func (c Caller) Coordinator() bool {
	return c.Role == auth.RoleCoordinator || c.Role == auth.RoleAdmin
}

func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}

func (s *Service) event(ctx context.Context, subject, aggregateID string, version int64, payload any) (events.Envelope, error) {
	return events.NewWithContext(ctx, matchingev.Source, subject, aggregateID, version, payload)
}

// audit records an entry; the trail is append-only and a failure to write
// it is logged, not returned: the change it records has happened. Entries
// for review and offer events are also written by the audit consumer, under
// the event's id, so a lost write here is made good; the entry of a round's
// run is written here only, by the run (complete).
func (s *Service) audit(ctx context.Context, e domain.AuditEntry) {
	if e.ID == "" {
		e.ID = newID()
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if err := s.store.AddAudit(ctx, e); err != nil {
		s.log.Warn("write audit entry", "err", err, "action", e.Action, "entity_id", e.EntityID)
	}
}

// audits records entries in bulk, as audit does one.
func (s *Service) audits(ctx context.Context, es []domain.AuditEntry) {
	for i := range es {
		if es[i].ID == "" {
			es[i].ID = newID()
		}
		if es[i].At.IsZero() {
			es[i].At = s.now()
		}
	}
	if err := s.store.AddAudits(ctx, es); err != nil {
		s.log.Warn("write audit entries", "err", err, "entries", len(es))
	}
}

// Audit returns a page of the audit trail. entity is "<type>:<id>" or a
// bare id.
func (s *Service) Audit(ctx context.Context, f domain.AuditFilter, page, size int) ([]domain.AuditEntry, int64, error) {
	return s.store.Audit(ctx, f, page, size)
}

// isNotFound reports whether err is a *domain.NotFoundError.
func isNotFound(err error) bool {
	var nf *domain.NotFoundError
	return errors.As(err, &nf)
}

// errConflictRetry is returned when a conditional write keeps losing to
// concurrent writers.
var errConflictRetry = domain.Conflict("concurrent_change", "the item changed while this request ran; try again")
