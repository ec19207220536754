package embedded

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// eraseModes are the settings the write-path benchmark compares: the store
// as it was (neither), secure_delete alone, and both parts of erasure to
// disk (what runs now).
var eraseModes = []struct {
	name         string
	secure, trim bool
}{
	{"off", false, false},
	{"secure_delete", true, false},
	{"secure_delete+trim", true, true},
}

// benchDoc is a profile-sized document (about 1 KiB).
func benchDoc(id, version int) bson.D {
	return bson.D{{Key: "_id", Value: fmt.Sprintf("u%06d", id)}, {Key: "version", Value: version},
		{Key: "name", Value: fmt.Sprintf("Applicant %06d", id)},
		{Key: "statement", Value: strings.Repeat(fmt.Sprintf("statement %d of %d; ", version, id), 40)}}
}

// startBenchFerret starts a store with one erase mode, as standalone runs
// it (an fsync per commit, TB_SYNC_ALWAYS's default).
// It returns the collection and the store's folder.
func startBenchFerret(b *testing.B, secure, trim bool) (*mongo.Collection, string) {
	b.Helper()
	secureDelete, trimWAL = secure, trim
	b.Cleanup(func() { secureDelete, trimWAL = true, true })
	dir := b.TempDir()
	f, err := StartFerret(FerretOptions{Dir: dir, SyncAlways: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(f.Stop)
	c, err := mongo.Connect(options.Client().ApplyURI(f.URI()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c.Database("bench").Collection("profiles"), dir
}

// BenchmarkWritePath measures one insert, one update and one delete of a
// profile-sized document through the serializer, for each erase mode. The
// update and delete runs start from 1,000 stored documents. A trim runs at
// most once a second per database (trimQuiet), or every trimMaxDelay under
// steady writes, so a short run sees few; BenchmarkTrim gives its cost.
func BenchmarkWritePath(b *testing.B) {
	ctx := context.Background()
	const stored = 1000
	// Modes side by side within each operation, so that a change in the
	// machine's load falls on all three alike.
	for _, m := range eraseModes {
		b.Run("insert/"+m.name, func(b *testing.B) {
			coll, _ := startBenchFerret(b, m.secure, m.trim)
			b.ResetTimer()
			defer reportCosts(b, processCPU(b), bytesWritten(b))
			for i := range b.N {
				if _, err := coll.InsertOne(ctx, benchDoc(i, 1)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, m := range eraseModes {
		b.Run("update/"+m.name, func(b *testing.B) {
			coll, _ := startBenchFerret(b, m.secure, m.trim)
			fill(b, coll, stored)
			b.ResetTimer()
			defer reportCosts(b, processCPU(b), bytesWritten(b))
			for i := range b.N {
				d := benchDoc(i%stored, i+2)
				if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d[0].Value}}, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, m := range eraseModes {
		b.Run("delete/"+m.name, func(b *testing.B) {
			coll, _ := startBenchFerret(b, m.secure, m.trim)
			fill(b, coll, max(stored, b.N))
			b.ResetTimer()
			defer reportCosts(b, processCPU(b), bytesWritten(b))
			for i := range b.N {
				if _, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("u%06d", i)}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTrim measures one checkpoint with truncation of a database whose
// log holds the frames of 200 updates of profile-sized documents: the time
// writes to that database wait while a trim holds its write lock.
func BenchmarkTrim(b *testing.B) {
	ctx := context.Background()
	coll, dir := startBenchFerret(b, true, false) // no background trims; this one is timed
	fill(b, coll, 1000)
	var total time.Duration
	w := &walTrimmer{dir: dir, stop: make(chan struct{})}
	for i := range b.N {
		for j := range 200 {
			d := benchDoc((i*200+j)%1000, i+2)
			if _, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d[0].Value}}, d); err != nil {
				b.Fatal(err)
			}
		}
		began := time.Now()
		if err := w.trim("bench", nil); err != nil {
			b.Fatal(err)
		}
		total += time.Since(began)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "trim-ms")
	b.ReportMetric(0, "ns/op")
}

// reportCosts adds the process's CPU time and bytes written per operation
// since the given starting points. Another test writing in the same process
// meanwhile would count too; benchmarks run one at a time.
func reportCosts(b *testing.B, cpu time.Duration, written int64) {
	b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-us/op")
	if written >= 0 {
		b.ReportMetric(float64(bytesWritten(b)-written)/float64(b.N), "written-B/op")
	}
}

func fill(b *testing.B, coll *mongo.Collection, n int) {
	b.Helper()
	docs := make([]any, 0, 100)
	for i := range n {
		docs = append(docs, benchDoc(i, 1))
		if len(docs) == cap(docs) || i == n-1 {
			if _, err := coll.InsertMany(context.Background(), docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
}
