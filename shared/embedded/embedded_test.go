package embedded

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func startFerret(t *testing.T) *Ferret {
	t.Helper()
	f, err := StartFerret(FerretOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Stop)
	return f
}

// clients opens n separate clients, as n service replicas would.
func clients(t *testing.T, uri string, n int) []*mongo.Collection {
	t.Helper()
	var out []*mongo.Collection
	for range n {
		c, err := mongo.Connect(options.Client().ApplyURI(uri))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
		out = append(out, c.Database("atomic").Collection("docs"))
	}
	return out
}

// TestSingleDocumentWritesAreAtomic checks the guarantee MongoDB gives and
// FerretDB alone does not: concurrent updates of one document from many
// connections neither lose increments nor let two conditional updates both
// win.
func TestSingleDocumentWritesAreAtomic(t *testing.T) {
	f := startFerret(t)
	colls := clients(t, f.URI(), 8)
	ctx := context.Background()
	if _, err := colls[0].InsertOne(ctx, bson.D{{Key: "_id", Value: "d"}, {Key: "n", Value: 0}, {Key: "v", Value: 1}}); err != nil {
		t.Fatal(err)
	}

	const incs = 40
	var wg sync.WaitGroup
	for i := range incs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := colls[i%len(colls)].UpdateOne(ctx, bson.D{{Key: "_id", Value: "d"}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	// Eight replicas race to move v from 1 to 2; exactly one may win.
	var won atomic.Int32
	for i := range colls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := colls[i].UpdateOne(ctx, bson.D{{Key: "_id", Value: "d"}, {Key: "v", Value: 1}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "v", Value: 2}, {Key: "winner", Value: i}}}})
			if err != nil {
				t.Error(err)
				return
			}
			won.Add(int32(res.ModifiedCount))
		}()
	}
	wg.Wait()

	var got struct {
		N int `bson:"n"`
		V int `bson:"v"`
	}
	if err := colls[0].FindOne(ctx, bson.D{{Key: "_id", Value: "d"}}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.N != incs {
		t.Errorf("after %d concurrent $inc, n = %d", incs, got.N)
	}
	if won.Load() != 1 || got.V != 2 {
		t.Errorf("%d of %d conditional updates won (v = %d), want exactly 1", won.Load(), len(colls), got.V)
	}
}

func TestCommandName(t *testing.T) {
	op := func(doc bson.D) []byte {
		body, _ := bson.Marshal(doc)
		msg := make([]byte, 21, 21+len(body))
		msg[12], msg[13] = 0xDD, 0x07 // opcode 2013, little-endian
		return append(msg, body...)
	}
	msg := op(bson.D{{Key: "findAndModify", Value: "docs"}, {Key: "$db", Value: "profiles"}})
	name, err := commandName(msg)
	db, write := writeTarget(msg)
	if err != nil || name != "findAndModify" || !write || db != "profiles" {
		t.Errorf("commandName() = %q, %v; writeTarget = %q, %v", name, err, db, write)
	}
	if db, write := writeTarget(op(bson.D{{Key: "find", Value: "docs"}, {Key: "$db", Value: "profiles"}})); write {
		t.Errorf("writeTarget(find) = %q, true; reads are not held back", db)
	}
	if _, err := commandName(msg[:22]); err == nil {
		t.Error("commandName(truncated) succeeded")
	}
}
