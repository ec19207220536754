package app

import (
	"context"

	"github.com/talentbridge/platform/services/matching/internal/allocation"
	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// MockRun computes what a run of the round would give now — the same
// load and allocation as a run, under the round's policy — and saves it
// apart from the matches, replacing the round's last mock. It publishes
// no event and tells no one; only the audit trail records who ran it. A
// published round has nothing left to try.
func (s *Service) MockRun(ctx context.Context, c Caller, roundID string) (*domain.MockRun, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if r.Status == domain.RoundPublished {
		return nil, domain.Conflict("round_published", "the round is published; a mock run would change nothing")
	}
	rn := &run{round: r, by: c}
	if err := s.load(ctx, rn); err != nil {
		return nil, err
	}
	res, err := allocation.Allocate(rn.in)
	if err != nil {
		return nil, err
	}
	m := mockOf(rn, res)
	m.RanBy, m.RanAt = c.ID, s.now()
	if err := s.store.SaveMock(ctx, m); err != nil {
		return nil, err
	}
	s.audit(ctx, domain.AuditEntry{At: m.RanAt, ActorID: c.ID, ActorRole: c.Role, Action: "round.mocked",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID})
	return m, nil
}

// Mock returns the round's last mock run.
func (s *Service) Mock(ctx context.Context, roundID string) (*domain.MockRun, error) {
	if _, err := s.store.Round(ctx, roundID); err != nil {
		return nil, err
	}
	return s.store.Mock(ctx, roundID)
}

// mockOf turns an allocation into a mock run: the would-be matches and
// the fill of every program (counting matches the run would keep), region
// and category.
func mockOf(rn *run, res *allocation.Result) *domain.MockRun {
	m := &domain.MockRun{RoundID: rn.round.ID, BlockingPairs: res.Certificate.BlockingPairs}
	filled := map[string]int{}
	for _, f := range rn.fixed {
		filled[f.ProgramID]++
	}
	for _, p := range res.Proposals {
		m.Items = append(m.Items, domain.MockItem{ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, Reasons: p.Reasons})
		filled[p.ProgramID]++
	}
	for _, p := range rn.in.Programs {
		seats := p.Seats
		if !p.Allocatable() {
			seats = 0
		}
		m.Fill.Programs = append(m.Fill.Programs, domain.ProgramFill{ProgramID: p.ID, Title: p.Title, Seats: seats, Filled: filled[p.ID]})
	}
	if u := res.PolicyUse; u != nil {
		m.Fill.Regions = u.Regions
		m.Fill.Categories = domain.CategoryTotals(u.Reserves)
	}
	return m
}
