package natsbus_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
)

func newEvent(t *testing.T, subject, aggregate string, version int64) events.Envelope {
	t.Helper()
	ev, err := events.New("test", subject, aggregate, version, map[string]any{"n": version})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func streamCount(t *testing.T, b *natsbus.Bus, stream string) uint64 {
	t.Helper()
	s, err := b.JS.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestPublishSameIDStoredOnce(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	ev := newEvent(t, events.ProfileCreated, "p1", 1)
	ctx := context.Background()
	for i := range 3 {
		if err := b.PublishEvent(ctx, ev); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	if got := streamCount(t, b, "PROFILES"); got != 1 {
		t.Errorf("PROFILES holds %d messages after 3 publishes of one id, want 1", got)
	}
	dup, err := b.Publish(ctx, ev.Type, ev.ID, []byte(`{}`), nil)
	if err != nil || !dup {
		t.Errorf("Publish(same id) = %v, %v; want duplicate=true", dup, err)
	}
	if err := b.PublishEvent(ctx, newEvent(t, events.ProfileCreated, "p2", 1)); err != nil {
		t.Fatal(err)
	}
	if got := streamCount(t, b, "PROFILES"); got != 2 {
		t.Errorf("PROFILES holds %d messages after a second id, want 2", got)
	}
}

// recorder collects what a handler saw.
type recorder struct {
	mu    sync.Mutex
	calls map[string]int
	done  []string
}

func (r *recorder) call(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	r.calls[id]++
	return r.calls[id]
}

func (r *recorder) ok(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = append(r.done, id)
}

func (r *recorder) snapshot() ([]string, map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	calls := map[string]int{}
	for k, v := range r.calls {
		calls[k] = v
	}
	return append([]string(nil), r.done...), calls
}

func fastBackoff(int) time.Duration { return 20 * time.Millisecond }

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTransientFailureIsRedeliveredAndSucceeds(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	var rec recorder
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "flaky", Stream: "PROFILES", MaxDeliver: 5, Backoff: fastBackoff,
		Handle: func(_ context.Context, ev events.Envelope) error {
			if rec.call(ev.ID) < 3 {
				return errors.New("database briefly unavailable")
			}
			rec.ok(ev.ID)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ev := newEvent(t, events.ProfileCreated, "p1", 1)
	if err := b.PublishEvent(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the third delivery to succeed", func() bool { done, _ := rec.snapshot(); return len(done) == 1 })
	_, calls := rec.snapshot()
	if calls[ev.ID] != 3 {
		t.Errorf("handler called %d times, want 3 (two failures, one success)", calls[ev.ID])
	}
	if n := streamCount(t, b, "DEADLETTER"); n != 0 {
		t.Errorf("DEADLETTER holds %d messages, want 0", n)
	}
}

func TestMaxDeliverGoesToDeadLetterWithoutBlocking(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	var rec recorder
	poison := newEvent(t, events.ProfileCreated, "bad", 1)
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "strict", Stream: "PROFILES", MaxDeliver: 3, Backoff: fastBackoff,
		Handle: func(_ context.Context, ev events.Envelope) error {
			rec.call(ev.ID)
			if ev.Subject == "bad" {
				return errors.New("profile references a program that never arrives")
			}
			rec.ok(ev.Subject)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := b.PublishEvent(ctx, poison); err != nil {
		t.Fatal(err)
	}
	if err := b.PublishEvent(ctx, newEvent(t, events.ProfileCreated, "good", 1)); err != nil {
		t.Fatal(err)
	}
	// The good message is handled while the poison one waits for its retries.
	waitFor(t, "the good message", func() bool { done, _ := rec.snapshot(); return len(done) == 1 })
	waitFor(t, "the dead letter", func() bool { return streamCount(t, b, "DEADLETTER") == 1 })
	_, calls := rec.snapshot()
	if calls[poison.ID] != 3 {
		t.Errorf("poison message delivered %d times, want MaxDeliver=3", calls[poison.ID])
	}
	dl, err := b.JS.Stream(ctx, "DEADLETTER")
	if err != nil {
		t.Fatal(err)
	}
	msg, err := dl.GetLastMsgForSubject(ctx, events.DeadLetterPrefix+events.ProfileCreated)
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get(natsbus.HeaderReason); got != "gave up after 3 deliveries: profile references a program that never arrives" {
		t.Errorf("dead letter reason = %q", got)
	}
	if got := msg.Header.Get(natsbus.HeaderConsumer); got != "matching-strict" {
		t.Errorf("dead letter consumer = %q, want matching-strict", got)
	}
	got, err := events.Parse(msg.Data)
	if err != nil || got.ID != poison.ID {
		t.Errorf("dead letter carries %v (%v), want the original event %s", got.ID, err, poison.ID)
	}
	// Nothing is left pending for the consumer.
	waitFor(t, "no pending acks", func() bool {
		c, err := b.JS.Consumer(ctx, "PROFILES", "matching-strict")
		if err != nil {
			return false
		}
		info, err := c.Info(ctx)
		return err == nil && info.NumAckPending == 0 && info.NumPending == 0
	})
}

func TestMalformedPayloadIsDeadLetteredAtOnce(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	var rec recorder
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "decode", Stream: "PROFILES", MaxDeliver: 5, Backoff: fastBackoff,
		Handle: func(_ context.Context, ev events.Envelope) error {
			rec.call(ev.ID)
			var p struct{ N int }
			if err := ev.Decode(&p); err != nil {
				return err
			}
			rec.ok(ev.ID)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := b.Publish(ctx, events.ProfileUpdated, "junk-1", []byte("not json at all"), nil); err != nil {
		t.Fatal(err)
	}
	bad := newEvent(t, events.ProfileUpdated, "p", 2)
	bad.Data = []byte(`{"N":"seven"}`)
	if err := b.PublishEvent(ctx, bad); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two dead letters", func() bool { return streamCount(t, b, "DEADLETTER") == 2 })
	done, calls := rec.snapshot()
	if len(done) != 0 || calls[bad.ID] != 1 {
		t.Errorf("undecodable payload handled %d times with %d successes; want one delivery, no success", calls[bad.ID], len(done))
	}
}

func TestStopDrainsConsumer(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	started := make(chan struct{})
	release := make(chan struct{})
	finished := make(chan struct{})
	sub, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "slow", Stream: "PROFILES",
		Handle: func(context.Context, events.Envelope) error {
			close(started)
			<-release
			close(finished)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.PublishEvent(context.Background(), newEvent(t, events.ProfileCreated, "p", 1)); err != nil {
		t.Fatal(err)
	}
	<-started
	stopped := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		stopped <- sub.Stop(ctx)
	}()
	select {
	case <-stopped:
		t.Fatal("Stop returned while a handler was still running")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Stop() = %v", err)
	}
	select {
	case <-finished:
	default:
		t.Error("handler did not finish before Stop returned")
	}
	c, err := b.JS.Consumer(context.Background(), "PROFILES", "matching-slow")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := c.Info(context.Background()); err != nil || info.NumAckPending != 0 {
		t.Errorf("after drain: ack pending = %v (%v), want 0", info.NumAckPending, err)
	}
}

func TestLagCountsUnhandledMessages(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	release := make(chan struct{})
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "held", Stream: "PROFILES",
		Handle: func(context.Context, events.Envelope) error { <-release; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if err := b.PublishEvent(context.Background(), newEvent(t, events.ProfileCreated, fmt.Sprint("p", i), 1)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "lag of 4", func() bool {
		lag, err := b.Lag(context.Background())
		return err == nil && lag["matching-held"] == 4
	})
	close(release)
	waitFor(t, "lag back to 0", func() bool {
		lag, err := b.Lag(context.Background())
		return err == nil && lag["matching-held"] == 0
	})
}

// TestConcurrentConsumerKeepsEachAggregateInOrder checks Concurrency:
// handlers of different aggregates overlap, while one aggregate's events
// are handled one after another in stream order.
func TestConcurrentConsumerKeepsEachAggregateInOrder(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	ctx := context.Background()
	const aggregates, versions = 8, 5
	var (
		mu        sync.Mutex
		seen      = map[string][]int64{}
		active    = map[string]bool{}
		running   int
		most      int
		sameTwice bool
		all       sync.WaitGroup
	)
	all.Add(aggregates * versions)
	_, err := b.Consume(ctx, natsbus.Consumer{Name: "ordered", Stream: "PROFILES", Concurrency: 4,
		Handle: func(ctx context.Context, ev events.Envelope) error {
			mu.Lock()
			if active[ev.Subject] {
				sameTwice = true
			}
			active[ev.Subject] = true
			running++
			most = max(most, running)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			seen[ev.Subject] = append(seen[ev.Subject], ev.AggregateVersion)
			active[ev.Subject] = false
			running--
			mu.Unlock()
			all.Done()
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	for v := int64(1); v <= versions; v++ {
		for a := range aggregates {
			if err := b.PublishEvent(ctx, newEvent(t, events.ProfileUpdated, fmt.Sprintf("agg-%d", a), v)); err != nil {
				t.Fatal(err)
			}
		}
	}
	done := make(chan struct{})
	go func() { all.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("not every event was handled within 20s")
	}
	mu.Lock()
	defer mu.Unlock()
	if sameTwice {
		t.Error("two events of one aggregate were handled at the same time")
	}
	if most < 2 {
		t.Errorf("at most %d handlers ran at once, want overlap with Concurrency 4", most)
	}
	for agg, vs := range seen {
		for i, v := range vs {
			if v != int64(i+1) {
				t.Errorf("%s handled in the order %v, want 1..%d", agg, vs, versions)
				break
			}
		}
	}
}
