package embedded

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// filesHolding lists the files under dir whose bytes contain any of the
// needles, as "needle in file".
func filesHolding(t *testing.T, dir string, needles ...string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil // a log removed while we walk
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil // directories, and the store's Unix sockets, hold no data
		}
		b, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				rel, _ := filepath.Rel(dir, path)
				found = append(found, fmt.Sprintf("%q in %s", n, rel))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// personWithNeighbours stores one person among other documents (so that
// their bytes share pages with data that stays), changes their statement,
// and deletes them. It returns the person's strings, old and new.
func personWithNeighbours(t *testing.T, uri string) []string {
	t.Helper()
	ctx := context.Background()
	coll := collection(t, uri, "people", "persons")
	for i := range 40 {
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("n%02d", i)},
			{Key: "name", Value: fmt.Sprintf("Neighbour %02d", i)}, {Key: "statement", Value: strings.Repeat("stays ", 30)}}); err != nil {
			t.Fatal(err)
		}
	}
	name, old, statement := "Oriel Vantwisk-5521", "pangolin-lattice-0417 studies", "kestrel-orbit-9923 research"
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "p"}, {Key: "name", Value: name},
		{Key: "statement", Value: old}}); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "p"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "statement", Value: statement}}}}); err != nil {
		t.Fatal(err)
	}
	return []string{name, old, statement}
}

// waitUntilGone polls until no file under dir holds a needle, for at most
// limit, and fails with what is left.
func waitUntilGone(t *testing.T, dir string, limit time.Duration, needles ...string) time.Duration {
	t.Helper()
	began := time.Now()
	for {
		left := filesHolding(t, dir, needles...)
		if len(left) == 0 {
			return time.Since(began)
		}
		if time.Since(began) > limit {
			t.Fatalf("%v after the delete, still on disk: %s", limit, strings.Join(left, ", "))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestDeletedDocumentsLeaveTheFiles is the embedded store's part of erasure:
// a deleted document's bytes, and those of its earlier versions, are gone
// from every file of the store within seconds while it runs, and stay gone
// after it stops.
func TestDeletedDocumentsLeaveTheFiles(t *testing.T) {
	dir := t.TempDir()
	f := startFerretIn(t, dir, true)
	defer f.Stop()
	needles := personWithNeighbours(t, f.URI())
	// The scan must see the strings while they are stored, or finding
	// nothing later proves nothing.
	if left := filesHolding(t, dir, needles[0], needles[2]); len(left) < 2 {
		t.Fatalf("before the delete the scan finds only %v", left)
	}
	coll := collection(t, f.URI(), "people", "persons")
	if _, err := coll.DeleteOne(context.Background(), bson.D{{Key: "_id", Value: "p"}}); err != nil {
		t.Fatal(err)
	}
	took := waitUntilGone(t, dir, 30*time.Second, needles...)
	t.Logf("gone from the files %v after the delete (%d trims)", took.Round(10*time.Millisecond), f.proxy.wal.trimmed.Load())
	if n, err := coll.CountDocuments(context.Background(), bson.D{}); err != nil || n != 40 {
		t.Fatalf("after the delete %d documents (%v), want the 40 neighbours", n, err)
	}
	f.Stop()
	if left := filesHolding(t, dir, needles...); len(left) > 0 {
		t.Fatalf("after a clean stop, still on disk: %s", strings.Join(left, ", "))
	}
}

// TestWithoutSecureDeleteTheBytesStay shows what secure_delete is for: with
// the log trimmed just the same but the pragma off, the deleted document's
// bytes survive in the free space of the database file.
func TestWithoutSecureDeleteTheBytesStay(t *testing.T) {
	secureDelete = false
	t.Cleanup(func() { secureDelete = true })
	dir := t.TempDir()
	f := startFerretIn(t, dir, true)
	defer f.Stop()
	needles := personWithNeighbours(t, f.URI())
	coll := collection(t, f.URI(), "people", "persons")
	if _, err := coll.DeleteOne(context.Background(), bson.D{{Key: "_id", Value: "p"}}); err != nil {
		t.Fatal(err)
	}
	f.Stop()
	if left := filesHolding(t, dir, needles...); len(left) == 0 {
		t.Fatal("without secure_delete nothing of the deleted document is left; this test no longer shows why the pragma is set")
	} else {
		t.Logf("without secure_delete: %s", strings.Join(left, ", "))
	}
}

// TestTrimWaitsForReaders checks that a trim is retried while a reader pins
// the log, and succeeds once the reader is gone.
func TestTrimWaitsForReaders(t *testing.T) {
	dir := t.TempDir()
	f := startFerretIn(t, dir, true)
	defer f.Stop()
	personWithNeighbours(t, f.URI())
	conn, _ := openTable(t, dir, "people", "persons")
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM _ferretdb_collections`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// A write after the reader's snapshot leaves frames it pins.
	coll := collection(t, f.URI(), "people", "persons")
	if _, err := coll.DeleteOne(context.Background(), bson.D{{Key: "_id", Value: "n00"}}); err != nil {
		t.Fatal(err)
	}
	w := f.proxy.wal
	if err := checkpoint(mustOpen(t, dir, "people"), "people", nil); err == nil {
		t.Fatal("a checkpoint with truncation succeeded while a reader held an old snapshot")
	}
	go func() {
		time.Sleep(2 * time.Second)
		_ = tx.Rollback()
	}()
	before := w.trimmed.Load()
	if err := w.trim("people", w.lock); err != nil {
		t.Fatalf("trim after the reader left: %v", err)
	}
	if w.trimmed.Load() <= before {
		t.Fatal("trim returned without counting a completed checkpoint")
	}
	if fi, err := os.Stat(filepath.Join(dir, "people.sqlite-wal")); err == nil && fi.Size() != 0 {
		t.Fatalf("after the trim the log holds %d bytes, want 0", fi.Size())
	}
}

func mustOpen(t *testing.T, dir, db string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, db+".sqlite")+"?mode=rw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// TestOnlyRemovingWritesScheduleATrim: an insert only adds, so it leaves
// nothing behind to trim; every command that can remove or overwrite a
// document marks its database.
func TestOnlyRemovingWritesScheduleATrim(t *testing.T) {
	msg := func(cmd string) []byte {
		body, _ := bson.Marshal(bson.D{{Key: cmd, Value: "docs"}, {Key: "$db", Value: "profiles"}})
		m := make([]byte, 21, 21+len(body))
		m[12], m[13] = 0xDD, 0x07 // OP_MSG
		return append(m, body...)
	}
	for _, tc := range []struct {
		cmd  string
		want bool
	}{
		{"insert", false}, {"create", false}, {"createIndexes", false}, {"find", false},
		{"update", true}, {"delete", true}, {"findAndModify", true}, {"drop", true},
		{"dropDatabase", true}, {"dropIndexes", true}, {"renameCollection", true},
	} {
		w := &walTrimmer{dirty: map[string]dirtySince{}}
		w.note("profiles", msg(tc.cmd))
		if _, got := w.dirty["profiles"]; got != tc.want {
			t.Errorf("after %s, database marked for a trim = %v, want %v", tc.cmd, got, tc.want)
		}
	}
}

// TestTrimIsDueAfterQuietOrMaxDelay: a database is trimmed after a quiet
// second, or after trimMaxDelay of steady removing writes, not before.
func TestTrimIsDueAfterQuietOrMaxDelay(t *testing.T) {
	now := time.Now()
	w := &walTrimmer{dirty: map[string]dirtySince{
		"busy-recent": {first: now.Add(-trimQuiet / 2), last: now.Add(-trimQuiet / 4)},
		"quiet":       {first: now.Add(-3 * trimQuiet), last: now.Add(-2 * trimQuiet)},
		"busy-long":   {first: now.Add(-trimMaxDelay - time.Second), last: now},
	}}
	got := w.due(now)
	if strings.Join(got, ",") != "busy-long,quiet" {
		t.Errorf("due() = %v, want [busy-long quiet]", got)
	}
	if _, ok := w.dirty["busy-recent"]; !ok || len(w.dirty) != 1 {
		t.Errorf("left marked: %v, want only busy-recent", w.dirty)
	}
}

// TestFailedTrimsBackOff: after a trim fails (readers pin the log), the
// database is not tried again before trimBackoff, then twice that after a
// second failure, and at once again after a success.
func TestFailedTrimsBackOff(t *testing.T) {
	now := time.Now()
	w := &walTrimmer{dirty: map[string]dirtySince{}, fails: map[string]int{}}
	w.retryLater("matching", now)
	if got := w.due(now.Add(trimBackoff - time.Millisecond)); len(got) != 0 {
		t.Fatalf("due %v before the backoff ran out", got)
	}
	if got := w.due(now.Add(trimBackoff + time.Second)); strings.Join(got, ",") != "matching" {
		t.Fatalf("due() = %v after the backoff, want [matching]", got)
	}
	w.retryLater("matching", now) // a second failure in a row
	if got := w.due(now.Add(trimBackoff + time.Second)); len(got) != 0 {
		t.Fatalf("due %v before twice the backoff", got)
	}
	if got := w.due(now.Add(2*trimBackoff + time.Second)); strings.Join(got, ",") != "matching" {
		t.Fatalf("due() = %v after twice the backoff, want [matching]", got)
	}
	for range 20 {
		w.retryLater("matching", now)
		w.due(now.Add(trimBackoffMax + time.Second))
	}
	w.retryLater("matching", now)
	if got := w.due(now.Add(trimBackoffMax + time.Second)); strings.Join(got, ",") != "matching" {
		t.Fatalf("due() = %v after trimBackoffMax, want [matching]: the backoff is capped", got)
	}
	w.succeeded("matching")
	w.mark("matching")
	if got := w.due(time.Now().Add(trimMaxDelay + time.Second)); strings.Join(got, ",") != "matching" {
		t.Fatalf("due() = %v after a success, want [matching] without waiting", got)
	}
}
