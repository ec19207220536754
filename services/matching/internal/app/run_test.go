package app

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// auditStore records the audit entries and completed runs it is given;
// every other port is left nil.
type auditStore struct {
	Store
	mu        sync.Mutex
	entries   []domain.AuditEntry
	completed []events.Envelope
}

func (f *auditStore) AddAudit(_ context.Context, e domain.AuditEntry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = append(f.entries, e)
	return nil
}

func (f *auditStore) CompleteRun(_ context.Context, _ *domain.Round, _ string, evs []events.Envelope) (bool, error) {
	f.completed = append(f.completed, evs...)
	return true, nil
}

// TestRunAuditedOnce: completing a run writes its round.completed entry,
// under the event's id and with the coordinator's role; the audit consumer,
// given the same event, writes nothing more.
func TestRunAuditedOnce(t *testing.T) {
	f := &auditStore{}
	s := New(Options{Store: f})
	ctx := context.Background()
	now := time.Now().UTC()
	r := &domain.Round{ID: "r1", Name: "R", ProgramIDs: []string{"p1"}, Status: domain.RoundCompleted, Runs: 1,
		Stats: domain.RunStats{Proposed: 2, Fixed: 1, Unmatched: 1}, CompletedAt: now, Version: 2}
	ev, err := s.event(ctx, events.RoundCompleted, r.ID, r.Version, matchingev.RoundCompleted{RoundID: r.ID,
		ProgramIDs: r.ProgramIDs, Proposed: 2, Fixed: 1, Unmatched: 1, Run: 1, ActorID: "c1", CompletedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.complete(ctx, &run{round: r, id: "run1", by: Caller{ID: "c1", Role: "coordinator"}}, ev); err != nil {
		t.Fatal(err)
	}
	if len(f.completed) != 1 || f.completed[0].Type != events.RoundCompleted {
		t.Fatalf("completed with %v, want one round.completed event", f.completed)
	}
	if err := s.AuditEvent(ctx, f.completed[0]); err != nil {
		t.Fatal(err)
	}
	if len(f.entries) != 1 {
		t.Fatalf("%d audit entries for one run, want 1: %+v", len(f.entries), f.entries)
	}
	e := f.entries[0]
	if e.ID != ev.ID || e.Action != "round.completed" || e.ActorRole != "coordinator" || e.EntityID != "r1" ||
		e.Note != "run 1: 2 proposed, 1 kept, 1 unmatched, 0 blocking pairs" {
		t.Errorf("audit entry = %+v, want round.completed of r1 under the event's id by a coordinator", e)
	}
}
