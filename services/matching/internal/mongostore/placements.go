package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/mongodb"
)

// PlacementOutcomesCollection keeps, per match, how its placement
// finished: ids and a status, nothing personal.
const PlacementOutcomesCollection = "placement_outcomes"

type placementOutcomeDoc struct {
	MatchID     string `bson:"_id"`
	PlacementID string `bson:"placementId"`
	Status      string `bson:"status"`
	Version     int64  `bson:"version"`
}

// RecordPlacementOutcome implements app.PlacementOutcomeStore.
func (s *Store) RecordPlacementOutcome(ctx context.Context, matchID, placementID, status string, version int64) error {
	_, err := mongodb.UpsertVersioned(ctx, s.db.Collection(PlacementOutcomesCollection), matchID, version, "version",
		placementOutcomeDoc{MatchID: matchID, PlacementID: placementID, Status: status, Version: version})
	return err
}

// PlacementOutcomes implements app.PlacementOutcomeStore.
func (s *Store) PlacementOutcomes(ctx context.Context, matchIDs []string) (map[string]string, error) {
	cur, err := s.db.Collection(PlacementOutcomesCollection).Find(ctx,
		bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: matchIDs}}}})
	if err != nil {
		return nil, fmt.Errorf("find placement outcomes: %w", err)
	}
	var docs []placementOutcomeDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read placement outcomes: %w", err)
	}
	out := make(map[string]string, len(docs))
	for _, d := range docs {
		out[d.MatchID] = d.Status
	}
	return out, nil
}
