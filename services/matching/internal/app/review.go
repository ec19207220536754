package app

import (
	"context"
	"strings"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// ListMatches returns a page of matches for coordinators.
func (s *Service) ListMatches(ctx context.Context, f MatchFilter, page, size int) ([]domain.Match, int64, error) {
	return s.store.ListMatches(ctx, f, page, size)
}

// MyMatches returns the caller's matches that have been published to them
// (offers and what they answered), newest first.
func (s *Service) MyMatches(ctx context.Context, c Caller) ([]domain.Match, error) {
	ms, err := s.store.MatchesOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := []domain.Match{}
	for _, m := range ms {
		if m.VisibleToApplicant() {
			out = append(out, m)
		}
	}
	return out, nil
}

// Approve records a coordinator's approval of a proposed match.
func (s *Service) Approve(ctx context.Context, c Caller, id, note string) (*domain.Match, error) {
	return s.decide(ctx, c, id, events.MatchApproved, func(m *domain.Match) error {
		return m.Approve(c.ID, note, s.now())
	})
}

// Reject records a coordinator's rejection of a proposed match; the reason
// is required. A re-run of the round will not match the applicant to that
// program again.
func (s *Service) Reject(ctx context.Context, c Caller, id, reason string) (*domain.Match, error) {
	return s.decide(ctx, c, id, events.MatchRejected, func(m *domain.Match) error {
		return m.Reject(c.ID, reason, s.now())
	})
}

func (s *Service) decide(ctx context.Context, c Caller, id, subject string, change func(*domain.Match) error) (*domain.Match, error) {
	m, err := s.store.Match(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := s.store.Round(ctx, m.RoundID)
	if err != nil {
		return nil, err
	}
	if r.Running(s.now()) {
		return nil, domain.Conflict("round_running", "the round is running; decide when the run has completed")
	}
	return s.changeMatch(ctx, c, m, subject, change)
}

// changeMatch applies change to m and stores it with its event, then
// records the audit entry under the event's id.
func (s *Service) changeMatch(ctx context.Context, c Caller, m *domain.Match, subject string, change func(*domain.Match) error) (*domain.Match, error) {
	if err := change(m); err != nil {
		return nil, err
	}
	ev, err := s.event(ctx, subject, m.ID, m.Version, s.matchPayload(m, c, m.UpdatedAt))
	if err != nil {
		return nil, err
	}
	ok, err := s.store.UpdateMatch(ctx, m, []events.Envelope{ev})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errConflictRetry
	}
	s.audit(ctx, domain.AuditEntry{ID: ev.ID, At: m.UpdatedAt, ActorID: c.ID, ActorRole: c.Role, Action: action(subject),
		EntityType: domain.EntityMatch, EntityID: m.ID, RoundID: m.RoundID, Note: m.Note})
	return m, nil
}

// ownMatch loads one of the caller's matches; anyone else's is not found.
func (s *Service) ownMatch(ctx context.Context, c Caller, id string) (*domain.Match, error) {
	m, err := s.store.Match(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.ApplicantID != c.ID {
		return nil, domain.NotFound("match")
	}
	return m, nil
}

// Accept records that the applicant accepts their published offer.
func (s *Service) Accept(ctx context.Context, c Caller, id string) (*domain.Match, error) {
	m, err := s.ownMatch(ctx, c, id)
	if err != nil {
		return nil, err
	}
	return s.changeMatch(ctx, c, m, events.OfferAccepted, func(m *domain.Match) error { return m.Accept(s.now()) })
}

// Decline records that the applicant declines their published offer; the
// seat is free for a re-run of the round.
func (s *Service) Decline(ctx context.Context, c Caller, id string) (*domain.Match, error) {
	m, err := s.ownMatch(ctx, c, id)
	if err != nil {
		return nil, err
	}
	return s.changeMatch(ctx, c, m, events.OfferDeclined, func(m *domain.Match) error { return m.Decline(s.now()) })
}

// action names an audit action after an event subject:
// "tb.matching.v1.match.approved" → "match.approved".
func action(subject string) string {
	return strings.TrimPrefix(subject, "tb.matching.v1.")
}

// AuditEvent writes the audit entry of a review or offer event under
// the event's id. The request that caused the event normally wrote it
// already; this makes good an entry lost to a crash between the two
// writes, and a repeated event changes nothing.
func (s *Service) AuditEvent(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.MatchApproved, events.MatchRejected, events.MatchPublished, events.OfferAccepted, events.OfferDeclined,
		events.OfferExpired:
		var p matchingev.MatchChanged
		if err := ev.Decode(&p); err != nil {
			return err
		}
		if p.MatchID == "" {
			p.MatchID = ev.Subject
		}
		return s.store.AddAudit(ctx, domain.AuditEntry{ID: ev.ID, At: p.At, ActorID: p.ActorID, ActorRole: p.ActorRole,
			Action: action(ev.Type), EntityType: domain.EntityMatch, EntityID: p.MatchID, RoundID: p.RoundID, Note: p.Note})
	}
	return nil
}
