package app

import (
	"context"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// Placement outcomes: what became of an accepted offer once the placements
// service finished it (placement.completed or .ended). The outcome report
// counts them per round; nothing else here reads them.

// PlacementOutcomeStore keeps each match's placement outcome, versioned by
// the placement's aggregate version so a repeated or older event changes
// nothing.
type PlacementOutcomeStore interface {
	RecordPlacementOutcome(ctx context.Context, matchID, placementID, status string, version int64) error
	// PlacementOutcomes returns the outcome of each of matchIDs that has one.
	PlacementOutcomes(ctx context.Context, matchIDs []string) (map[string]string, error)
}

// RecordPlacementOutcome keeps how a match's placement finished.
func (s *Service) RecordPlacementOutcome(ctx context.Context, matchID, placementID, status string, version int64) error {
	return s.store.RecordPlacementOutcome(ctx, matchID, placementID, status, version)
}

// Placement outcome statuses, as placement.completed and .ended carry them.
const (
	PlacementCompleted = "completed"
	PlacementEnded     = "ended"
)

// countPlacements adds to the report how many of the round's accepted
// offers became placements that were completed or ended early.
func (s *Service) countPlacements(ctx context.Context, rep *domain.Report, ms []domain.Match) error {
	var ids []string
	for _, m := range ms {
		if m.Status == domain.MatchAccepted {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	outcomes, err := s.store.PlacementOutcomes(ctx, ids)
	if err != nil {
		return err
	}
	for _, st := range outcomes {
		switch st {
		case PlacementCompleted:
			rep.Totals.Completed++
		case PlacementEnded:
			rep.Totals.EndedEarly++
		}
	}
	return nil
}
