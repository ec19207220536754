package app

import (
	"context"
	"fmt"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// ApproveRound approves, for a coordinator, every proposed match of a
// round at once: each gets its match.approved event, in its own document,
// and its audit entry, as if approved one by one. proposed is how many
// proposed matches the coordinator reviewed; when the round holds another
// number (it ran again since), nothing is approved. Approving everything
// stays a deliberate act: the caller names the count, and a round still
// running is refused.
func (s *Service) ApproveRound(ctx context.Context, c Caller, roundID string, proposed int, note string) (*RoundView, error) {
	if proposed < 1 {
		return nil, &domain.ValidationError{Fields: []domain.FieldError{{Field: "proposed",
			Reason: "is required: the number of proposed matches to approve, at least 1 (the round's counts.proposed)"}}}
	}
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	switch {
	case r.Running(now):
		return nil, domain.Conflict("round_running", "the round is running; decide when the run has completed")
	case r.Status == domain.RoundCreated:
		return nil, domain.Conflict("round_not_run", "the round has not run yet")
	}
	ms, err := s.store.MatchesOfRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	var todo []domain.Match
	for _, m := range ms {
		if m.Status == domain.MatchProposed {
			todo = append(todo, m)
		}
	}
	if len(todo) != proposed {
		return nil, domain.Conflict("proposed_changed", "the round holds %d proposed %s, not %d: review them again before approving",
			len(todo), pluralize(len(todo), "match", "matches"), proposed)
	}
	evs := make([][]events.Envelope, len(todo))
	audits := make([]domain.AuditEntry, len(todo))
	for i := range todo {
		m := &todo[i]
		if err := m.Approve(c.ID, note, now); err != nil {
			return nil, err
		}
		ev, err := s.event(ctx, events.MatchApproved, m.ID, m.Version, s.matchPayload(m, c, now))
		if err != nil {
			return nil, err
		}
		evs[i] = []events.Envelope{ev}
		audits[i] = domain.AuditEntry{ID: ev.ID, At: now, ActorID: c.ID, ActorRole: c.Role, Action: action(events.MatchApproved),
			EntityType: domain.EntityMatch, EntityID: m.ID, RoundID: r.ID, Note: m.Note}
	}
	written, err := s.store.UpdateMatches(ctx, todo, evs)
	if err != nil {
		return nil, err
	}
	s.audits(ctx, audits)
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.approved",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID, Note: fmt.Sprintf("%d matches approved at once", written)})
	if written < len(todo) {
		return nil, errConflictRetry
	}
	return s.Round(ctx, r.ID)
}
