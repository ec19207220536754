package messaging

import (
	"context"
	"fmt"

	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
)

// PlacementFinished records how an accepted offer's placement finished
// (placement.completed or .ended), for the outcome report.
func (h Handlers) PlacementFinished(ctx context.Context, ev events.Envelope) error {
	var p placementsev.PlacementFinished
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.MatchID == "" || p.Status == "" {
		return fmt.Errorf("%w: %s without matchId or status", events.ErrMalformed, ev.Type)
	}
	return h.App.RecordPlacementOutcome(ctx, p.MatchID, ev.Subject, p.Status, ev.AggregateVersion)
}
