package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// RoundOutcome is what one published round gave one applicant: their
// entry in the round (choices, reasons) and the offer it made them, if any.
type RoundOutcome struct {
	Round *domain.Round
	Entry domain.RoundApplicant
	// Offer is the applicant's match of the round that was offered to
	// them (published, then accepted, declined or expired); nil when the
	// round offered them nothing.
	Offer *domain.Match
}

// MyRounds returns the published rounds the caller took part in, newest
// publication first. Rounds not yet published are left out: until then
// coordinators' decisions stay internal.
func (s *Service) MyRounds(ctx context.Context, c Caller) ([]RoundOutcome, error) {
	entries, err := s.store.RoundApplicantsOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.MatchesOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := []RoundOutcome{}
	for _, e := range entries {
		r, err := s.store.Round(ctx, e.RoundID)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if r.Status != domain.RoundPublished {
			continue
		}
		o := RoundOutcome{Round: r, Entry: e}
		for i := range ms {
			if ms[i].RoundID == r.ID && ms[i].VisibleToApplicant() {
				o.Offer = &ms[i]
				break
			}
		}
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b RoundOutcome) int {
		return cmp.Or(b.Round.PublishedAt.Compare(a.Round.PublishedAt), cmp.Compare(a.Round.ID, b.Round.ID))
	})
	return out, nil
}
