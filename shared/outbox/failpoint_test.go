//go:build failpoints

// The failpoints exist only in binaries built with the failpoints tag:
// scripts/test.sh runs this package once more with -tags failpoints.

package outbox_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/outbox"
)

// TestFailpointChild is the child process of TestFailpoints: it runs a relay
// over the collection the parent names, writes one more profile after the
// first sweep, and is expected to exit at the failpoint.
func TestFailpointChild(t *testing.T) {
	if os.Getenv("TB_FAILPOINT_CHILD") == "" {
		t.Skip("run by TestFailpoints")
	}
	ctx := context.Background()
	c, err := mongodb.Connect(ctx, os.Getenv("TB_CHILD_MONGO"), "child")
	if err != nil {
		t.Fatal(err)
	}
	coll := c.Database(os.Getenv("TB_CHILD_DB")).Collection("profiles")
	b, err := natsbus.Connect(ctx, os.Getenv("TB_CHILD_NATS"), "profiles", quiet)
	if err != nil {
		t.Fatal(err)
	}
	r := newRelay(b, 50*time.Millisecond, coll)
	go r.Run(ctx)
	time.Sleep(500 * time.Millisecond) // the recovery sweep is done
	createProfile(t, r, coll, "p2")
	r.Kick()
	time.Sleep(10 * time.Second)
	t.Fatal("the failpoint did not fire")
}

func TestFailpoints(t *testing.T) {
	for _, point := range []string{outbox.FailpointBeforePublish, outbox.FailpointAfterPublish} {
		t.Run(point, func(t *testing.T) {
			url := natstest.Start(t)
			b := natstest.Bus(t, url, "profiles")
			db := mongotest.DB(t)
			coll := db.Collection("profiles")
			// Left over from an earlier crash: the recovery sweep must
			// publish it even with the failpoint set.
			first := createProfile(t, crashedWriter(coll), coll, "p1")

			cmd := exec.Command(os.Args[0], "-test.run", "^TestFailpointChild$")
			cmd.Env = append(os.Environ(), "TB_FAILPOINT_CHILD=1", outbox.FailpointEnv+"="+point,
				"TB_CHILD_MONGO="+mongotest.URI(t), "TB_CHILD_DB="+db.Name(), "TB_CHILD_NATS="+url)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 3 {
				t.Fatalf("child: %v, want exit status 3\n%s", err, out)
			}
			ids := streamIDs(t, b)
			wantInStream := 1
			if point == outbox.FailpointAfterPublish {
				wantInStream = 2
			}
			if len(ids) != wantInStream || ids[0] != first.ID {
				t.Fatalf("after the crash the stream holds %v, want %d events starting with %s", ids, wantInStream, first.ID)
			}
			if p := pending(t, coll, "p2"); p != 1 {
				t.Fatalf("p2 has %d pending events after the crash, want 1", p)
			}
			// The restarted service publishes what was left, once.
			if _, err := newRelay(b, time.Second, coll).Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
			if ids := streamIDs(t, b); len(ids) != 2 {
				t.Errorf("after the restart the stream holds %d events, want 2", len(ids))
			}
			if n, _ := coll.CountDocuments(context.Background(), bson.D{{Key: "outbox.0", Value: bson.D{{Key: "$exists", Value: true}}}}); n != 0 {
				t.Errorf("%d documents still have pending events", n)
			}
		})
	}
}
