package mongostore

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/mongotest"
)

// TestDeleteInChunks deletes what the filter selects over several chunks
// and leaves the others alone. (Beyond 32,766 documents one FerretDB v1
// delete statement fails; inserting that many here would take the suite
// most of a minute.)
func TestDeleteInChunks(t *testing.T) {
	ctx := context.Background()
	c := mongotest.DB(t).Collection("many")
	const n = 2*bulkChunk + 7
	docs := make([]any, 0, n+1)
	for i := range n {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("d%05d", i)}, {Key: "roundId", Value: "r1"}})
	}
	docs = append(docs, bson.D{{Key: "_id", Value: "other"}, {Key: "roundId", Value: "r2"}})
	if _, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
		t.Fatal(err)
	}
	if err := deleteInChunks(ctx, c, bson.D{{Key: "roundId", Value: "r1"}}); err != nil {
		t.Fatal(err)
	}
	left, err := c.CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if left != 1 {
		t.Fatalf("%d documents left, want only the other round's", left)
	}
}
