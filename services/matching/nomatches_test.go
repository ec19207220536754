package matching_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching"
)

// TestNewRoundHasNoMatchesUntilItsFirstRun: a new round is stored as
// having no matches, so that its first run and its views skip reading
// every match of every round; its first run clears that before storing
// proposals, and the counts follow them.
func TestNewRoundHasNoMatchesUntilItsFirstRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	r, _ := w.roundOfOne("nm1", "NM")
	rounds := w.env.Deps.DB(matching.Database).Collection("rounds")
	noMatches := func() bool {
		t.Helper()
		var d struct {
			NoMatches bool `bson:"noMatches"`
		}
		if err := rounds.FindOne(context.Background(), bson.D{{Key: "_id", Value: r.ID}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		return d.NoMatches
	}
	if !noMatches() {
		t.Fatal("a new round is not marked as having no matches")
	}
	done := w.runRound(r.ID)
	if noMatches() {
		t.Error("after a run that proposed a match the round is still marked as having none")
	}
	if done.Counts.Proposed != 1 {
		t.Errorf("counts after the run: %+v, want 1 proposed match", done.Counts)
	}
}
