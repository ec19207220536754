package embedded

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// abandon opens n cursors on coll that are never read to the end nor
// closed, as finds whose callers gave up leave them, and returns the last.
func abandon(t *testing.T, coll *mongo.Collection, n int) *mongo.Cursor {
	t.Helper()
	var cur *mongo.Cursor
	for range n {
		var err error
		cur, err = coll.Find(context.Background(), bson.D{}, options.Find().SetBatchSize(2))
		if err != nil {
			t.Fatalf("find %v", err)
		}
	}
	return cur
}

func cursorFixture(t *testing.T, idle time.Duration) (*Ferret, *mongo.Collection) {
	t.Helper()
	f, err := StartFerret(FerretOptions{Dir: t.TempDir(), CursorIdleTimeout: idle})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Stop)
	c, err := mongo.Connect(options.Client().ApplyURI(f.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	coll := c.Database("cursors").Collection("docs")
	docs := make([]any, 50)
	for i := range docs {
		docs[i] = bson.D{{Key: "_id", Value: i}}
	}
	if _, err := coll.InsertMany(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	return f, coll
}

// Each open FerretDB cursor holds one of its database's 100 pooled SQLite
// connections. Without a timeout, 100 abandoned cursors stop the database:
// the next query waits for a connection that never comes.
func TestAbandonedCursorsStopTheDatabaseWithoutATimeout(t *testing.T) {
	_, coll := cursorFixture(t, time.Hour)
	abandon(t, coll, 100)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := coll.CountDocuments(ctx, bson.D{})
	if err == nil {
		t.Fatal("a query after 100 abandoned cursors went through; the premise of the idle timeout no longer holds")
	}
}

// With the proxy's idle timeout the same database recovers: the abandoned
// cursors are killed, the next query gets its connection, and a reader of
// an abandoned cursor learns that it is gone.
func TestAbandonedCursorsAreClosedWhenIdle(t *testing.T) {
	f, coll := cursorFixture(t, 300*time.Millisecond)
	last := abandon(t, coll, 100)
	if n := f.proxy.cursors.openCount(); n != 100 {
		t.Fatalf("the proxy tracks %d open cursors, want 100", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n, err := coll.CountDocuments(ctx, bson.D{})
	if err != nil || n != 50 {
		t.Fatalf("count after the idle timeout = %d, %v; want 50", n, err)
	}
	for f.proxy.cursors.openCount() > 0 && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	if got := f.proxy.cursors.reaped.Load(); got != 100 {
		t.Errorf("reaped %d cursors, want 100", got)
	}
	for last.Next(ctx) {
	}
	var se mongo.ServerError
	if err := last.Err(); err == nil || !errors.As(err, &se) {
		t.Errorf("reading a killed cursor = %v, want a server error (cursor not found)", err)
	}
}

// A cursor in use is never killed, however long its reader takes in all,
// and one read to the end or closed is forgotten at once.
func TestCursorsInUseAreKept(t *testing.T) {
	idle := 300 * time.Millisecond
	f, coll := cursorFixture(t, idle)
	ctx := context.Background()
	cur, err := coll.Find(ctx, bson.D{}, options.Find().SetBatchSize(2))
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	start := time.Now()
	for cur.Next(ctx) {
		read++
		if read%2 == 0 && time.Since(start) < 4*idle {
			time.Sleep(idle / 3) // a slow reader, one batch at a time
		}
	}
	if err := cur.Err(); err != nil || read != 50 {
		t.Fatalf("slow reader read %d documents, err %v; want 50 and no error", read, err)
	}
	if time.Since(start) < 2*idle {
		t.Fatalf("the reader took %v, not longer than the idle timeout; the test proves nothing", time.Since(start))
	}
	closed, err := coll.Find(ctx, bson.D{}, options.Find().SetBatchSize(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.proxy.cursors.openCount(); n != 0 {
		t.Errorf("%d cursors tracked after one was read to the end and one closed, want 0", n)
	}
	if n := f.proxy.cursors.reaped.Load(); n != 0 {
		t.Errorf("reaped %d cursors that were in use", n)
	}
}

// command sends cmd on conn as one OP_MSG and returns the answer's body.
func command(t *testing.T, conn net.Conn, cmd bson.D) bson.Raw {
	t.Helper()
	raw, err := bson.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write((&wireMsg{requestID: probeSeq.Add(1), body: raw}).encode()); err != nil {
		t.Fatal(err)
	}
	resp, err := readMessage(conn)
	if err != nil {
		t.Fatal(err)
	}
	body, err := commandBody(resp)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// FerretDB ends a connection's cursors when the connection closes, but the
// driver reads a cursor on whichever pooled connection is free, and closes
// connections of its own accord. A cursor opened on a connection that then
// closed must still be readable on another, as on MongoDB (a national
// round's run failed with CursorNotFound so).
func TestCursorsOutliveTheConnectionThatOpenedThem(t *testing.T) {
	f, _ := cursorFixture(t, time.Hour)
	path := f.proxy.ln.Addr().String()
	first, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	body := command(t, first, bson.D{{Key: "find", Value: "docs"}, {Key: "filter", Value: bson.D{}},
		{Key: "batchSize", Value: 2}, {Key: "$db", Value: "cursors"}})
	id, ok := body.Lookup("cursor", "id").AsInt64OK()
	if !ok || id == 0 {
		t.Fatalf("find answered %s, want an open cursor", body)
	}
	first.Close()
	time.Sleep(200 * time.Millisecond) // the proxy sees the close
	second, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	body = command(t, second, bson.D{{Key: "getMore", Value: id}, {Key: "collection", Value: "docs"},
		{Key: "batchSize", Value: 100}, {Key: "$db", Value: "cursors"}})
	batch, ok := body.Lookup("cursor", "nextBatch").ArrayOK()
	if !ok {
		t.Fatalf("getMore after the opening connection closed answered %s, want the rest of the documents", body)
	}
	vals, _ := batch.Values()
	if len(vals) != 48 {
		t.Errorf("getMore returned %d documents, want the other 48", len(vals))
	}
	// Read to the end, the cursor is forgotten and its parked connection
	// closed.
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.proxy.cursors.mu.Lock()
		parked := len(f.proxy.cursors.parked)
		f.proxy.cursors.mu.Unlock()
		if parked == 0 && f.proxy.cursors.openCount() == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections parked, %d cursors tracked after the cursor ended", parked, f.proxy.cursors.openCount())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
