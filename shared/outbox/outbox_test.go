package outbox_test

import (
	"context"
	"errors"
	"fmt"
	dto "github.com/prometheus/client_model/go"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/outbox"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type profileDoc struct {
	ID      string         `bson:"_id"`
	Name    string         `bson:"name"`
	Version int64          `bson:"version"`
	Outbox  []outbox.Event `bson:"outbox,omitempty"`
}

// newRelay returns a relay of c that publishes to pub.
func newRelay(pub outbox.Publisher, interval time.Duration, c *mongo.Collection) *outbox.Relay {
	return outbox.NewRelay(outbox.Config{Publisher: pub, Log: quiet, Interval: interval}, c)
}

// crashedWriter is the relay of a process that stores changes and dies
// before publishing any: its relay never runs, and its Encode only encodes.
func crashedWriter(c *mongo.Collection) *outbox.Relay {
	return outbox.NewRelay(outbox.Config{Log: quiet}, c)
}

// createProfile stores a profile and its created event in one write, as a
// service's store does with its relay w (without the kick after the write).
func createProfile(t *testing.T, w *outbox.Relay, c *mongo.Collection, id string) events.Envelope {
	t.Helper()
	ev, err := events.New("profiles", events.ProfileCreated, id, 1, map[string]string{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	ob, err := w.Encode(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertOne(context.Background(), profileDoc{ID: id, Name: "Asha", Version: 1, Outbox: ob}); err != nil {
		t.Fatal(err)
	}
	return ev
}

func updateProfile(t *testing.T, w *outbox.Relay, c *mongo.Collection, id string, version int64) events.Envelope {
	t.Helper()
	ev, err := events.New("profiles", events.ProfileUpdated, id, version, map[string]string{"id": id})
	if err != nil {
		t.Fatal(err)
	}
	ob, err := w.Encode(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	upd := bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: version}}}, outbox.Push(ob)}
	if _, err := c.UpdateOne(context.Background(), bson.D{{Key: "_id", Value: id}}, upd); err != nil {
		t.Fatal(err)
	}
	return ev
}

// streamIDs returns the ids of every event in the PROFILES stream, in order.
func streamIDs(t *testing.T, b *natsbus.Bus) []string {
	t.Helper()
	ctx := context.Background()
	s, err := b.JS.Stream(ctx, "PROFILES")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := events.Parse(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	return ids
}

func pending(t *testing.T, c *mongo.Collection, id string) int {
	t.Helper()
	var d profileDoc
	if err := c.FindOne(context.Background(), bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return len(d.Outbox)
}

func TestRelayPublishesThenClears(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	w := crashedWriter(c)
	created := createProfile(t, w, c, "p1")
	updated := updateProfile(t, w, c, "p1", 2)

	n, err := newRelay(b, time.Second, c).Sweep(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("Sweep() = %d, %v; want 2, nil", n, err)
	}
	if got, want := fmt.Sprint(streamIDs(t, b)), fmt.Sprint([]string{created.ID, updated.ID}); got != want {
		t.Errorf("stream holds %s, want %s (in order)", got, want)
	}
	if p := pending(t, c, "p1"); p != 0 {
		t.Errorf("%d events still pending after the sweep", p)
	}
	if n, _ := newRelay(b, time.Second, c).Sweep(context.Background()); n != 0 {
		t.Errorf("second sweep published %d events, want 0", n)
	}
}

func TestCrashBeforePublishDeliversAfterRestart(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	// The process stored the change and died before any relay ran.
	ev := createProfile(t, crashedWriter(c), c, "p1")
	if got := streamIDs(t, b); len(got) != 0 {
		t.Fatalf("stream holds %v before any relay ran", got)
	}
	// After the restart a new relay finds the event.
	if _, err := newRelay(b, time.Second, c).Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := streamIDs(t, b); len(got) != 1 || got[0] != ev.ID {
		t.Errorf("stream holds %v, want exactly [%s]", got, ev.ID)
	}
}

// crashAfterPublish publishes, then fails as a process would that died
// before marking the event sent.
type crashAfterPublish struct{ bus *natsbus.Bus }

func (p crashAfterPublish) Publish(ctx context.Context, subject, id string, data []byte, h nats.Header) (bool, error) {
	if _, err := p.bus.Publish(ctx, subject, id, data, h); err != nil {
		return false, err
	}
	return false, errors.New("process killed")
}

func TestCrashBetweenPublishAndMarkDeliversOnce(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	ev := createProfile(t, crashedWriter(c), c, "p1")

	if _, err := newRelay(crashAfterPublish{b}, time.Second, c).Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := pending(t, c, "p1"); p != 1 {
		t.Fatalf("pending = %d after the crash, want the event still there", p)
	}
	// Restarted relay publishes again; JetStream drops the copy.
	if _, err := newRelay(b, time.Second, c).Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := streamIDs(t, b); len(got) != 1 || got[0] != ev.ID {
		t.Errorf("stream holds %v, want exactly [%s]", got, ev.ID)
	}
	if p := pending(t, c, "p1"); p != 0 {
		t.Errorf("pending = %d after the restart, want 0", p)
	}
}

func TestTombstoneIsDeletedAfterPublish(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	w := crashedWriter(c)
	createProfile(t, w, c, "p1")
	erased, _ := events.New("profiles", events.ProfileErased, "p1", 2, map[string]string{"id": "p1"})
	ob, _ := w.Encode(context.Background(), erased)
	ctx := context.Background()
	// Erasure replaces the document with one that holds only the id and
	// the pending events (the created event is still unsent here).
	var old profileDoc
	_ = c.FindOne(ctx, bson.D{{Key: "_id", Value: "p1"}}).Decode(&old)
	tomb := bson.D{{Key: "_id", Value: "p1"}, {Key: outbox.TombstoneField, Value: true}, {Key: outbox.Field, Value: append(old.Outbox, ob...)}}
	if _, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "p1"}}, tomb); err != nil {
		t.Fatal(err)
	}
	if _, err := newRelay(b, time.Second, c).Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.CountDocuments(ctx, bson.D{}); n != 0 {
		t.Errorf("%d documents left; the tombstone should be gone", n)
	}
	if got := streamIDs(t, b); len(got) != 2 || got[1] != erased.ID {
		t.Errorf("stream holds %v, want created then %s", got, erased.ID)
	}
}

func TestConcurrentRelaysAndWritersLoseAndRepeatNothing(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Two relays, as with two replicas of a service, each sweeping often;
	// the writers write through either and kick it, so its lookups by _id
	// race with both relays' sweeps.
	var wg sync.WaitGroup
	var relays []*outbox.Relay
	for range 2 {
		r := newRelay(b, 20*time.Millisecond, c)
		relays = append(relays, r)
		wg.Add(1)
		go func() { defer wg.Done(); r.Run(ctx) }()
	}
	want := map[string]bool{}
	for i := range 20 {
		id := fmt.Sprintf("p%02d", i)
		w := relays[i%2]
		want[createProfile(t, w, c, id).ID] = true
		w.Kick()
		want[updateProfile(t, w, c, id, 2).ID] = true
		w.Kick()
		want[updateProfile(t, w, c, id, 3).ID] = true
		w.Kick()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if n, _ := c.CountDocuments(context.Background(), bson.D{{Key: "outbox.0", Value: bson.D{{Key: "$exists", Value: true}}}}); n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("outboxes not drained within 20s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	got := streamIDs(t, b)
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("event %s is in the stream %d times, want 1", id, seen[id])
		}
	}
	if len(got) != len(want) {
		t.Errorf("stream holds %d events, want %d", len(got), len(want))
	}
}

// watchingRelay runs a relay whose full sweep is an hour away, once its
// first sweep is done.
func watchingRelay(t *testing.T) (*natsbus.Bus, *mongo.Collection, *outbox.Relay) {
	t.Helper()
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	r := newRelay(b, time.Hour, c)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go r.Run(ctx)
	time.Sleep(200 * time.Millisecond)
	return b, c, r
}

// TestWatchingRelayLooksUpTouchedDocuments checks the targeted path: with a
// full sweep far away, a kick after a write publishes its event, because
// Encode told the relay which document to look at.
func TestWatchingRelayLooksUpTouchedDocuments(t *testing.T) {
	b, c, r := watchingRelay(t)
	// A document written behind the relay's back (encoded by another
	// relay, no kick) is left for the full sweep an hour away...
	var hidden profileDoc
	hidden.ID, hidden.Version = "hidden", 1
	hidden.Outbox = []outbox.Event{{ID: "hidden-ev", Subject: "tb.profiles.v1.profile.created", Data: []byte(`{}`)}}
	if _, err := c.InsertOne(context.Background(), hidden); err != nil {
		t.Fatal(err)
	}
	createProfile(t, crashedWriter(c), c, "other")
	// ...while one encoded by the relay is published at the kick.
	ev := createProfile(t, r, c, "p1")
	r.Kick()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ids := streamIDs(t, b)
		if len(ids) == 1 && ids[0] == ev.ID {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream holds %v, want only %s", ids, ev.ID)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if pending(t, c, "hidden") != 1 || pending(t, c, "other") != 1 {
		t.Error("an untouched document was swept; the kick should have looked only at p1")
	}
}

// TestWatchingRelayWaitsForEachEncodedEvent covers a write that lands after
// a kick found earlier events of the same document: the relay keeps
// waiting for the event Encode encoded, not just for "something pending" on
// that document, so the later write's event leaves at its own kick rather
// than at the full sweep an hour away.
func TestWatchingRelayWaitsForEachEncodedEvent(t *testing.T) {
	b, c, r := watchingRelay(t)

	created := createProfile(t, r, c, "p1") // stored, no kick yet
	// The next change is encoded (Encode) before its write lands, and a kick
	// comes in between: it finds only the first event pending.
	late, err := events.New("profiles", events.ProfileUpdated, "p1", 2, map[string]string{"id": "p1"})
	if err != nil {
		t.Fatal(err)
	}
	ob, err := r.Encode(context.Background(), late)
	if err != nil {
		t.Fatal(err)
	}
	r.Kick()
	waitStream := func(want ...string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ids := streamIDs(t, b)
			if slices.Equal(ids, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("stream holds %v, want %v", ids, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitStream(created.ID)
	upd := bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 2}}}, outbox.Push(ob)}
	if _, err := c.UpdateOne(context.Background(), bson.D{{Key: "_id", Value: "p1"}}, upd); err != nil {
		t.Fatal(err)
	}
	r.Kick()
	waitStream(created.ID, late.ID)
}

// Documents are marked sent in bulk writes of a few hundred: a kick and a
// sweep over more documents than one such write publishes each event once
// and leaves nothing pending, whichever write marked it.
func TestRelayMarksManyDocumentsInChunks(t *testing.T) {
	const n = 600
	ctx := context.Background()
	for _, how := range []string{"kick", "sweep"} {
		t.Run(how, func(t *testing.T) {
			b, c, r := watchingRelay(t)
			w := r
			if how == "sweep" {
				w = crashedWriter(c)
			}
			want := map[string]bool{}
			for i := range n {
				ev := createProfile(t, w, c, fmt.Sprintf("p%03d", i))
				want[ev.ID] = true
			}
			if how == "kick" {
				r.Kick()
			} else if got, err := r.Sweep(ctx); err != nil || got != n {
				t.Fatalf("Sweep() = %d, %v; want %d, nil", got, err, n)
			}
			eventually(t, func() error {
				ids := streamIDs(t, b)
				if len(ids) != n {
					return fmt.Errorf("stream holds %d events, want %d", len(ids), n)
				}
				return nil
			})
			for _, id := range streamIDs(t, b) {
				if !want[id] {
					t.Fatalf("stream holds %s twice or unknown", id)
				}
				delete(want, id)
			}
			left, err := c.CountDocuments(ctx, bson.D{{Key: outbox.Field + ".0", Value: bson.D{{Key: "$exists", Value: true}}}})
			if err != nil || left != 0 {
				t.Fatalf("%d documents still hold events (%v), want 0", left, err)
			}
		})
	}
}

// eventually retries f for up to 20 seconds.
func eventually(t *testing.T, f func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A relay far behind its writers (a national import) reaches events long
// after they were encoded: they are still published at a kick, because
// only a lookup made after missTTL that misses them gives them up.
func TestWatchingRelayKeepsEventsItHasNotLookedFor(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	c := mongotest.DB(t).Collection("profiles")
	r := newRelay(b, time.Hour, c)
	r.SetMissTTL(100 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go r.Run(ctx)
	time.Sleep(200 * time.Millisecond) // the first full sweep, of nothing
	// Encoded, and written only after missTTL, with no lookup between.
	ev, _ := events.New("profiles", events.ProfileCreated, "late", 1, map[string]string{"id": "late"})
	ob, err := r.Encode(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	// An event whose write never lands is given up once a lookup made
	// after missTTL misses it.
	lost, _ := events.New("profiles", events.ProfileCreated, "lost", 1, map[string]string{"id": "lost"})
	if _, err := r.Encode(ctx, lost); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := c.InsertOne(ctx, profileDoc{ID: "late", Version: 1, Outbox: ob}); err != nil {
		t.Fatal(err)
	}
	r.Kick()
	eventually(t, func() error {
		if ids := streamIDs(t, b); len(ids) != 1 || ids[0] != ev.ID {
			return fmt.Errorf("stream holds %v, want [%s]", ids, ev.ID)
		}
		return nil
	})
	r.Kick() // the lookup above missed "lost" after missTTL: the next pass forgets it
	eventually(t, func() error {
		if n := r.Awaited(); n != 0 {
			r.Kick()
			return fmt.Errorf("the relay still awaits %d aggregates, want 0", n)
		}
		return nil
	})
}

// tb_outbox_awaited falls to 0 once the relay has published what it
// awaited: nationalround's settle waits for that.
func TestAwaitedGaugeEmptiesAfterPublishing(t *testing.T) {
	b, c, r := watchingRelay(t)
	createProfile(t, r, c, "gauge-1")
	r.Kick()
	eventually(t, func() error {
		if ids := streamIDs(t, b); len(ids) != 1 {
			return fmt.Errorf("stream holds %v", ids)
		}
		return nil
	})
	eventually(t, func() error {
		var m dto.Metric
		if err := outbox.AwaitedGauge(c.Name()).Write(&m); err != nil {
			return err
		}
		if v := m.GetGauge().GetValue(); v != 0 {
			return fmt.Errorf("tb_outbox_awaited = %v after publishing, want 0", v)
		}
		return nil
	})
}

// TestPausedRelayWaitsForResume: while a store has paused the relay, a
// kick publishes nothing it awaits; resuming publishes it at once.
func TestPausedRelayWaitsForResume(t *testing.T) {
	b, c, r := watchingRelay(t)
	resume := r.Pause()
	createProfile(t, r, c, "paused-1")
	r.Kick()
	time.Sleep(700 * time.Millisecond)
	if ids := streamIDs(t, b); len(ids) != 0 {
		t.Fatalf("a paused relay published %v", ids)
	}
	resume()
	resume() // a second call does nothing more
	eventually(t, func() error {
		if ids := streamIDs(t, b); len(ids) != 1 {
			return fmt.Errorf("stream holds %v after resuming", ids)
		}
		return nil
	})
}
