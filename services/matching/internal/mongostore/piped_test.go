package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/mongotest"
)

// TestEachPipedHandsEveryDocumentInOrder: documents over several batches
// reach fn decoded and in the cursor's order; fn's error stops the read
// and is returned.
func TestEachPipedHandsEveryDocumentInOrder(t *testing.T) {
	ctx := context.Background()
	c := mongotest.DB(t).Collection("piped")
	var docs []any
	var want []string
	for i := range 450 {
		id := fmt.Sprintf("d%04d", i)
		docs = append(docs, bson.D{{Key: "_id", Value: id}, {Key: "n", Value: i}})
		want = append(want, id)
	}
	if _, err := c.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	type doc struct {
		ID string `bson:"_id"`
		N  int    `bson:"n"`
	}
	sorted := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(100)
	var got []string
	err := eachPiped(ctx, c, bson.D{}, func(d *doc) error {
		if d.ID != fmt.Sprintf("d%04d", d.N) {
			return fmt.Errorf("document %s decoded with n %d", d.ID, d.N)
		}
		got = append(got, d.ID)
		return nil
	}, sorted)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("handed %d documents, want the %d in order", len(got), len(want))
	}

	stop := errors.New("enough")
	seen := 0
	err = eachPiped(ctx, c, bson.D{}, func(*doc) error {
		seen++
		if seen == 150 {
			return stop
		}
		return nil
	}, sorted)
	if !errors.Is(err, stop) || seen != 150 {
		t.Fatalf("after fn's error: %v with %d handed, want it returned at 150", err, seen)
	}
}
