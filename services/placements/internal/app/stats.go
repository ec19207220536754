package app

import (
	"context"
	"errors"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	"github.com/talentbridge/platform/services/placements/internal/stats"
	api "github.com/talentbridge/platform/shared/api/placements"
)

// ExchangeStats answers GET /stats/exchanges: every placement, joined in
// Go with its program (kind, first field, host region) and participant
// (home region; unknown once erased), counted and suppressed by package
// stats. Placements of erased participants still count: they keep ids,
// dates and status.
func (s *Service) ExchangeStats(ctx context.Context, q stats.Query) (api.ExchangeStats, error) {
	ps, err := s.o.Placements.Find(ctx, Filter{})
	if err != nil {
		return api.ExchangeStats{}, err
	}
	progs := map[string]*Program{}
	homes := map[string]string{}
	records := make([]stats.Record, 0, len(ps))
	for _, p := range ps {
		prog, ok := progs[p.ProgramID]
		if !ok {
			if prog, err = s.o.Models.Program(ctx, p.ProgramID); err != nil && !errors.Is(err, domain.ErrNotFound) {
				return api.ExchangeStats{}, err
			}
			progs[p.ProgramID] = prog
		}
		home, ok := homes[p.ApplicantID]
		if !ok {
			prof, err := s.o.Models.Profile(ctx, p.ApplicantID)
			if err != nil && !errors.Is(err, domain.ErrNotFound) {
				return api.ExchangeStats{}, err
			}
			if prof != nil {
				home = prof.Region
			}
			homes[p.ApplicantID] = home
		}
		r := stats.Record{Direction: p.Direction, Kind: p.Kind, HomeRegion: home, AcceptedAt: p.CreatedAt,
			Start: p.StartDate, Status: p.Finished, ClosedAt: p.FinishedAt}
		if r.Status == "" {
			r.Status = api.StatusPreparing
		}
		if prog != nil {
			r.HostRegion = prog.Region
			if len(prog.Fields) > 0 {
				r.Field = prog.Fields[0]
			}
		}
		records = append(records, r)
	}
	return stats.Compute(records, q, s.now()), nil
}
