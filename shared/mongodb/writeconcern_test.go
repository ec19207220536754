package mongodb_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
)

// TestMajorityWriteConcernExactlyWithReplicaSet: writes wait for a majority
// when the URI names a replica set, unless the URI chooses its own w; with
// no replica set the server's default is left alone.
func TestMajorityWriteConcernExactlyWithReplicaSet(t *testing.T) {
	tests := []struct {
		uri  string
		want any // the w of the client's write concern; nil: none set
	}{
		{"mongodb://127.0.0.1:27017/", nil},
		{"mongodb://127.0.0.1:27017/?directConnection=true", nil},
		{"mongodb://127.0.0.1:27017/tb?appName=x", nil},
		{"mongodb://127.0.0.1:27017/?replicaSet=rs0", "majority"},
		{"mongodb://db-0:27017,db-1:27017,db-2:27017/?replicaSet=rs0&authSource=admin", "majority"},
		{"mongodb://db-0:27017,db-1:27017/?replicaSet=rs0&w=1", 1},
		{"mongodb://db-0:27017,db-1:27017/?replicaSet=rs0&w=2&journal=true", 2},
	}
	for _, tc := range tests {
		opts := mongodb.ClientOptions(tc.uri, "test")
		if err := opts.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.uri, err)
		}
		switch {
		case tc.want == nil && opts.WriteConcern != nil:
			t.Errorf("%s: write concern %+v, want none", tc.uri, opts.WriteConcern)
		case tc.want != nil && (opts.WriteConcern == nil || opts.WriteConcern.W != tc.want):
			t.Errorf("%s: write concern %+v, want w=%v", tc.uri, opts.WriteConcern, tc.want)
		}
		if opts.Timeout == nil || *opts.Timeout != mongodb.OpTimeout {
			t.Errorf("%s: operation timeout %v, want %s", tc.uri, opts.Timeout, mongodb.OpTimeout)
		}
	}
}

// TestMajorityWriteConcernIsSent watches the insert commands a client sends
// to the test server: with a replica set named in the URI each carries
// writeConcern {w: "majority"}; without, none carries a write concern.
func TestMajorityWriteConcernIsSent(t *testing.T) {
	base := mongotest.URI(t)
	// The URI may name a Unix socket (the embedded store's), whose escaped
	// path url.Parse refuses, so the option is added as text.
	named := strings.Contains(base, "replicaSet=")
	withRS := base
	if !named {
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		withRS = base + sep + "replicaSet=rs0"
	}
	db := mongotest.Prefix(t) + "wc"

	send := func(uri string, forget bool) bson.RawValue {
		var mu sync.Mutex
		var wc bson.RawValue
		opts := mongodb.ClientOptions(uri, "test")
		if forget {
			// The test server is no replica set: keep what the URI made of
			// the write concern but connect to the server as it is.
			opts.ReplicaSet = nil
		}
		opts.SetMonitor(&event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
			if e.CommandName == "insert" {
				mu.Lock()
				wc = e.Command.Lookup("writeConcern")
				mu.Unlock()
			}
		}})
		c, err := mongo.Connect(opts)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Disconnect(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := c.Database(db).Collection("docs").InsertOne(ctx, bson.D{{Key: "n", Value: 1}}); err != nil {
			t.Fatalf("insert through %s: %v", uri, err)
		}
		mu.Lock()
		defer mu.Unlock()
		return wc
	}

	wc := send(withRS, !named)
	if wc.Type != bson.TypeEmbeddedDocument {
		t.Errorf("insert with a replica set named: writeConcern %v, want {w: majority}", wc)
	} else if w, ok := wc.Document().Lookup("w").StringValueOK(); !ok || w != "majority" {
		t.Errorf("insert with a replica set named: writeConcern %v, want {w: majority}", wc)
	}
	if !named {
		if wc := send(base, false); wc.Type != 0 {
			t.Errorf("insert without a replica set: writeConcern %v, want none", wc)
		}
	}
}
