package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func startFerretIn(t *testing.T, dir string, narrow bool) *Ferret {
	t.Helper()
	f, err := StartFerret(FerretOptions{Dir: dir, NoNarrowing: !narrow})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func collection(t *testing.T, uri, db, name string) *mongo.Collection {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c.Database(db).Collection(name)
}

// openTable opens a database file of the server directly and returns the
// name of one collection's table.
func openTable(t *testing.T, dir, db, coll string) (*sql.DB, string) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, db+".sqlite")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	var table string
	if err := conn.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, coll).Scan(&table); err != nil {
		conn.Close()
		t.Fatalf("table of %s.%s: %v", db, coll, err)
	}
	return conn, table
}

// queryPlan returns SQLite's plan for FerretDB's lookup by _id in the table
// of one collection, read straight from the database file.
func queryPlan(t *testing.T, dir, db, coll string) string {
	t.Helper()
	conn, table := openTable(t, dir, db, coll)
	defer conn.Close()
	rows, err := conn.Query(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM `+quoteIdent(table)+
		` WHERE `+idExpr+` = ?`, `"x"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

func dropIDIndex(t *testing.T, dir, db, coll string) {
	t.Helper()
	conn, table := openTable(t, dir, db, coll)
	defer conn.Close()
	if _, err := conn.Exec(`DROP INDEX ` + quoteIdent(table+idIndexSuffix)); err != nil {
		t.Fatal(err)
	}
}

// TestLookupsByIDUseAnIndex checks that FerretDB's lookups by _id are index
// searches, not scans: for a collection created through the proxy, for one
// found on disk at start-up, and for one dropped and created again.
func TestLookupsByIDUseAnIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := startFerretIn(t, dir, true)
	docs := collection(t, f.URI(), "idx", "docs")
	if _, err := docs.InsertOne(ctx, bson.D{{Key: "_id", Value: "a"}}); err != nil {
		t.Fatal(err)
	}
	if plan := queryPlan(t, dir, "idx", "docs"); !strings.Contains(plan, "USING INDEX") {
		t.Fatalf("after the first insert, the plan of a lookup by _id is %q, want an index search", plan)
	}

	// A collection whose index is missing on disk (made before this code
	// existed, say) gets it when the server starts.
	f.Stop()
	dropIDIndex(t, dir, "idx", "docs")
	if plan := queryPlan(t, dir, "idx", "docs"); !strings.Contains(plan, "SCAN") {
		t.Fatalf("without the index the plan is %q; the test cannot tell the difference", plan)
	}
	f = startFerretIn(t, dir, true)
	defer f.Stop()
	if plan := queryPlan(t, dir, "idx", "docs"); !strings.Contains(plan, "USING INDEX") {
		t.Errorf("after a restart, the plan is %q, want an index search", plan)
	}

	// Dropped and made again, under the same name, by an upsert.
	docs = collection(t, f.URI(), "idx", "docs")
	if err := docs.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := docs.UpdateOne(ctx, bson.D{{Key: "_id", Value: "b"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 1}}}},
		options.UpdateOne().SetUpsert(true)); err != nil {
		t.Fatal(err)
	}
	if plan := queryPlan(t, dir, "idx", "docs"); !strings.Contains(plan, "USING INDEX") {
		t.Errorf("after drop and upsert, the plan is %q, want an index search", plan)
	}
	// The extra index is not one of the collection's MongoDB indexes.
	cur, err := docs.Indexes().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var idx []bson.M
	if err := cur.All(ctx, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx) != 1 || idx[0]["name"] != "_id_" {
		t.Errorf("listIndexes = %v, want only _id_", idx)
	}
}

// op is one step of a scenario run against both servers; it returns what a
// caller would see.
type op struct {
	name string
	run  func(ctx context.Context, c *mongo.Collection) (any, error)
}

func ver(v int) bson.D {
	return bson.D{{Key: "v", Value: bson.D{{Key: "$lt", Value: v}}}}
}

func filter(id any, more ...bson.E) bson.D {
	return append(bson.D{{Key: "_id", Value: id}}, more...)
}

func set(kv ...bson.E) bson.D { return bson.D{{Key: "$set", Value: bson.D(kv)}} }

func kv(k string, v any) bson.E { return bson.E{Key: k, Value: v} }

// narrowingScenario exercises every kind of statement narrowWrites touches,
// each both where the filter matches and where it does not.
var narrowingScenario = []op{
	{"insert", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.InsertMany(ctx, []any{
			bson.D{kv("_id", "a"), kv("v", 1), kv("tags", bson.A{"x", "y"})},
			bson.D{kv("_id", "b"), kv("v", 5), kv("owner", "u1")},
			bson.D{kv("_id", bson.ObjectID{1}), kv("v", 1)},
		})
	}},
	{"update matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter("a", ver(2)...), set(kv("v", 2)))
	}},
	{"update not matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter("b", ver(2)...), set(kv("v", 2)))
	}},
	{"update on a missing id", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter("zz", ver(2)...), set(kv("v", 2)))
	}},
	{"update by ObjectID", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter(bson.ObjectID{1}, kv("v", 1)), bson.D{{Key: "$inc", Value: bson.D{kv("v", 10)}}})
	}},
	{"update many", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateMany(ctx, filter("b", kv("owner", "u1")), set(kv("seen", true)))
	}},
	{"replace upsert matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.ReplaceOne(ctx, filter("a", ver(3)...), bson.D{kv("v", 3), kv("whole", true)}, options.Replace().SetUpsert(true))
	}},
	{"replace upsert, stored version newer", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.ReplaceOne(ctx, filter("b", ver(3)...), bson.D{kv("v", 3)}, options.Replace().SetUpsert(true))
	}},
	{"replace upsert, absent", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.ReplaceOne(ctx, filter("c", ver(3)...), bson.D{kv("v", 3)}, options.Replace().SetUpsert(true))
	}},
	{"update upsert with equality, absent", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter("d", kv("owner", "u2")), set(kv("n", 1)), options.UpdateOne().SetUpsert(true))
	}},
	{"update upsert with an operator-only filter, absent", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter("e", ver(3)...), set(kv("n", 1)), options.UpdateOne().SetUpsert(true))
	}},
	{"positional update", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.UpdateOne(ctx, filter("a", kv("tags", "y")), set(kv("tags.$", "Y")))
	}},
	{"bulk of mixed statements", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.BulkWrite(ctx, []mongo.WriteModel{
			mongo.NewUpdateOneModel().SetFilter(filter("a", ver(9)...)).SetUpdate(set(kv("bulk", 1))),
			mongo.NewUpdateOneModel().SetFilter(filter("b", ver(1)...)).SetUpdate(set(kv("bulk", 2))),
			mongo.NewUpdateOneModel().SetFilter(filter("c")).SetUpdate(set(kv("bulk", 3))),
			mongo.NewDeleteOneModel().SetFilter(filter("d", kv("owner", "nobody"))),
		})
	}},
	{"findAndModify matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOneAndUpdate(ctx, filter("b", kv("owner", "u1")), set(kv("lease", "r1")),
			options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&got)
		return got, err
	}},
	{"findAndModify not matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOneAndUpdate(ctx, filter("b", kv("lease", "r2")), set(kv("lease", "r3"))).Decode(&got)
		return got, err
	}},
	{"findAndModify upsert, stored doc does not match", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOneAndUpdate(ctx, filter("b", kv("lease", "r2")), set(kv("lease", "r3")),
			options.FindOneAndUpdate().SetUpsert(true)).Decode(&got)
		return got, err
	}},
	{"findAndModify remove", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOneAndDelete(ctx, filter("c", kv("v", 3))).Decode(&got)
		return got, err
	}},
	{"delete not matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.DeleteOne(ctx, filter("a", kv("tombstone", true)))
	}},
	{"delete matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.DeleteOne(ctx, filter("d", kv("owner", "u2"), kv("n", bson.D{{Key: "$gte", Value: 1}})))
	}},
	{"all documents", func(ctx context.Context, c *mongo.Collection) (any, error) {
		cur, err := c.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{kv("_id", 1)}))
		if err != nil {
			return nil, err
		}
		var all []bson.M
		err = cur.All(ctx, &all)
		return all, err
	}},
}

// TestNarrowedWritesKeepTheirMeaning runs the same writes against a
// FerretDB with narrowing and one without, and compares every answer and
// the documents left.
func TestNarrowedWritesKeepTheirMeaning(t *testing.T) {
	plain, narrow := compare(t, narrowingScenario)
	if n := plain; n != 0 {
		t.Errorf("the server without narrowing narrowed %d statements", n)
	}
	// Eight updates (matching, not matching, missing id, ObjectID, many,
	// replace upsert matching, replace upsert of an absent _id, $set upsert
	// of an absent _id with an operator-only filter), three of
	// the bulk's four (the fourth is on _id alone), three findAndModify
	// (not the upsert whose _id is stored but does not match) and two
	// deletes; the upsert over a stored _id that does not match, the
	// upsert that takes a field from its filter and the positional update
	// are left alone.
	if n, want := narrow, int64(16); n != want {
		t.Errorf("narrowed %d statements, want %d", n, want)
	}
}

// compare runs a scenario against a FerretDB with narrowing and one
// without, compares every answer, and returns how many statements each
// narrowed.
func compare(t *testing.T, scenario []op) (plainNarrowed, narrowed int64) {
	t.Helper()
	ctx := context.Background()
	plain := startFerretIn(t, t.TempDir(), false)
	defer plain.Stop()
	narrow := startFerretIn(t, t.TempDir(), true)
	defer narrow.Stop()
	a := collection(t, plain.URI(), "scn", "docs")
	b := collection(t, narrow.URI(), "scn", "docs")
	for _, step := range scenario {
		want, wantErr := step.run(ctx, a)
		got, gotErr := step.run(ctx, b)
		if errText(gotErr) != errText(wantErr) {
			t.Errorf("%s: error %v, without narrowing %v", step.name, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, without narrowing %+v", step.name, got, want)
		}
	}
	return plain.proxy.narrowed.Load(), narrow.proxy.narrowed.Load()
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	var writeErrs mongo.WriteErrors
	var we mongo.WriteException
	var be mongo.BulkWriteException
	switch {
	case errors.As(err, &we):
		writeErrs = we.WriteErrors
	case errors.As(err, &be):
		for _, e := range be.WriteErrors {
			writeErrs = append(writeErrs, e.WriteError)
		}
	default:
		var ce mongo.CommandError
		if errors.As(err, &ce) {
			return fmt.Sprintf("command error %d", ce.Code)
		}
		return err.Error()
	}
	var codes []string
	for _, e := range writeErrs {
		codes = append(codes, fmt.Sprintf("%d@%d", e.Code, e.Index))
	}
	return "write errors " + strings.Join(codes, ",")
}

func TestNarrowWritesLeavesOtherCommandsAlone(t *testing.T) {
	op := func(doc bson.D) []byte {
		body, _ := bson.Marshal(doc)
		return (&wireMsg{requestID: 7, body: body}).encode()
	}
	for _, msg := range [][]byte{
		op(bson.D{{Key: "insert", Value: "docs"}, {Key: "documents", Value: bson.A{bson.D{kv("_id", "a")}}}, {Key: "$db", Value: "x"}}),
		op(bson.D{{Key: "update", Value: "docs"}, {Key: "updates", Value: bson.A{bson.D{kv("q", bson.D{kv("_id", "a")}), kv("u", set(kv("n", 1)))}}}, {Key: "$db", Value: "x"}}),
		op(bson.D{{Key: "delete", Value: "docs"}, {Key: "deletes", Value: bson.A{bson.D{kv("q", bson.D{kv("owner", "u")}), kv("limit", 0)}}}, {Key: "$db", Value: "x"}}),
		op(bson.D{{Key: "update", Value: "docs"}, {Key: "updates", Value: bson.A{bson.D{kv("q", bson.D{kv("_id", 5), kv("v", 1)}), kv("u", set(kv("n", 1)))}}}, {Key: "$db", Value: "x"}}),
	} {
		// No server is needed: none of these asks it anything.
		out, n := narrowWrites(nil, "x", msg)
		if n != 0 || string(out) != string(msg) {
			body, _ := commandBody(msg)
			t.Errorf("narrowWrites(%s) changed %d statements", body, n)
		}
	}
}

func TestWireMessageRoundTrip(t *testing.T) {
	body, _ := bson.Marshal(bson.D{{Key: "update", Value: "docs"}, {Key: "$db", Value: "x"}})
	st, _ := bson.Marshal(bson.D{kv("q", bson.D{kv("_id", "a")})})
	m := &wireMsg{requestID: 9, responseTo: 3, flags: 0, body: body, seqs: []docSeq{{id: "updates", docs: []bson.Raw{st, st}}}}
	back, err := parseOpMsg(m.encode())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("parse(encode(m)) = %+v, want %+v", back, m)
	}
	if _, err := parseOpMsg(m.encode()[:30]); err == nil {
		t.Error("a truncated message parsed")
	}
}

// readScenario reads with filters on one _id and more, in the ways the
// services do.
var readScenario = []op{
	{"insert", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.InsertMany(ctx, []any{
			bson.D{kv("_id", "a"), kv("v", 1), kv("owner", "u1"), kv("secret", "s"), kv("tags", bson.A{"x"})},
			bson.D{kv("_id", "b"), kv("v", 5), kv("owner", "u2"), kv("tombstone", true)},
		})
	}},
	{"findOne matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOne(ctx, filter("a", kv("owner", "u1"))).Decode(&got)
		return got, err
	}},
	{"findOne not matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOne(ctx, filter("a", kv("owner", "u2"))).Decode(&got)
		return got, err
	}},
	{"findOne with exclusion", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOne(ctx, filter("a", kv("tombstone", bson.D{{Key: "$ne", Value: true}})),
			options.FindOne().SetProjection(bson.D{kv("secret", 0)})).Decode(&got)
		return got, err
	}},
	{"findOne with inclusion and sort", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOne(ctx, filter("b", ver(9)...),
			options.FindOne().SetProjection(bson.D{kv("v", 1)}).SetSort(bson.D{kv("v", -1)})).Decode(&got)
		return got, err
	}},
	{"find with skip", func(ctx context.Context, c *mongo.Collection) (any, error) {
		cur, err := c.Find(ctx, filter("a", ver(9)...), options.Find().SetSkip(1))
		if err != nil {
			return nil, err
		}
		var all []bson.M
		err = cur.All(ctx, &all)
		return all, err
	}},
	{"find with batch size 1", func(ctx context.Context, c *mongo.Collection) (any, error) {
		cur, err := c.Find(ctx, filter("a", kv("tags", "x")), options.Find().SetBatchSize(1).SetLimit(5))
		if err != nil {
			return nil, err
		}
		var all []bson.M
		err = cur.All(ctx, &all)
		return all, err
	}},
	{"count matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.CountDocuments(ctx, filter("b", kv("tombstone", true)))
	}},
	{"count not matching", func(ctx context.Context, c *mongo.Collection) (any, error) {
		return c.CountDocuments(ctx, filter("b", kv("tombstone", false)))
	}},
	{"projection with an operator (left alone)", func(ctx context.Context, c *mongo.Collection) (any, error) {
		var got bson.M
		err := c.FindOne(ctx, filter("a", kv("v", 1)),
			options.FindOne().SetProjection(bson.D{kv("tags", bson.D{{Key: "$slice", Value: 1}})})).Decode(&got)
		return got, err
	}},
}

// TestNarrowedReadsKeepTheirMeaning does for reads what
// TestNarrowedWritesKeepTheirMeaning does for writes.
func TestNarrowedReadsKeepTheirMeaning(t *testing.T) {
	_, narrow := compare(t, readScenario)
	// Every read but the first insert and the $slice projection.
	if n, want := narrow, int64(len(readScenario)-2); n != want {
		t.Errorf("narrowed %d reads, want %d", n, want)
	}
}
