package embedded

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A bulk write of more single-document updates than FerretDB's 100 pooled
// SQLite connections goes through (it hung before the proxy split it), and
// its result reads as one command's would: counts, upserted ids at their
// statements' indexes, and write errors at theirs, ordered or not.
func TestLongUpdateCommandsAreSplit(t *testing.T) {
	_, coll := cursorFixture(t, time.Hour) // documents 0..49
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	docs := make([]any, 300)
	for i := range docs {
		docs[i] = bson.D{{Key: "_id", Value: 1000 + i}, {Key: "tags", Value: bson.A{"a", "b"}}, {Key: "n", Value: 0}}
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
	pull := func(i int) mongo.WriteModel {
		return mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: 1000 + i}}).
			SetUpdate(bson.D{{Key: "$pullAll", Value: bson.D{{Key: "tags", Value: bson.A{"a"}}}}})
	}
	var models []mongo.WriteModel
	for i := range 300 {
		models = append(models, pull(i))
	}
	// Two upserts of new documents, at statements 120 and 299.
	models[120] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: 5000}}).SetUpsert(true).
		SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: "new", Value: true}}}})
	models[299] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: 5001}}).SetUpsert(true).
		SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: "new", Value: true}}}})
	res, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	if err != nil {
		t.Fatalf("bulk write of 300 updates: %v", err)
	}
	if res.MatchedCount != 298 || res.ModifiedCount != 298 || res.UpsertedCount != 2 ||
		res.UpsertedIDs[120] != int32(5000) || res.UpsertedIDs[299] != int32(5001) {
		t.Errorf("result = %+v, want 298 matched and modified, upserts 5000 at 120 and 5001 at 299", res)
	}
	if n, _ := coll.CountDocuments(ctx, bson.D{{Key: "tags", Value: "a"}}); n != 2 {
		t.Errorf("%d documents still tagged a, want 2 (the two statements replaced by upserts)", n)
	}

	// A statement that fails ($inc of an array) at index 70: FerretDB
	// stops the command there, ordered or not; the parts before it stay
	// applied, the error names the first statement of its part, and the
	// parts after it are never sent.
	bad := func() []mongo.WriteModel {
		var ms []mongo.WriteModel
		for i := range 120 {
			ms = append(ms, mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: 1000 + i}}).
				SetUpdate(bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}))
		}
		ms[70] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: 1000 + 70}}).
			SetUpdate(bson.D{{Key: "$inc", Value: bson.D{{Key: "tags", Value: 1}}}})
		return ms
	}
	for _, ordered := range []bool{true, false} {
		res, err := coll.BulkWrite(ctx, bad(), options.BulkWrite().SetOrdered(ordered))
		var be mongo.BulkWriteException
		if !errors.As(err, &be) || len(be.WriteErrors) != 1 || be.WriteErrors[0].Index != 50 {
			t.Fatalf("ordered=%v: err = %v, want one write error at index 50 (its part's first statement)", ordered, err)
		}
		if res == nil || res.MatchedCount != 50 {
			t.Errorf("ordered=%v: result %+v, want the 50 matches of the first part", ordered, res)
		}
	}
	for id, want := range map[int]int32{1000: 2, 1049: 2, 1069: 2, 1071: 0, 1119: 0} {
		var d struct {
			N int32 `bson:"n"`
		}
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil || d.N != want {
			t.Errorf("document %d: n = %d (%v), want %d", id, d.N, err, want)
		}
	}
}
