package natsbus_test

import (
	"context"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
)

// A consumer of a platform stream may filter only on that stream's own
// subjects: it trusts an event only from where its owner publishes.
func TestConsumerOfAStreamTakesOnlyItsSubjects(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "profiles")
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "mixed", Stream: "IDENTITY", Subjects: []string{events.UserDeleted, events.ProfileErased},
		Handle: func(context.Context, events.Envelope) error { return nil },
	})
	if err == nil || !strings.Contains(err.Error(), events.ProfileErased) {
		t.Fatalf("Consume(IDENTITY with a PROFILES subject) = %v, want an error naming the subject", err)
	}
}

// An envelope whose type is not the subject it was published on (a
// profiles event dressed as an identity one) is dead-lettered unhandled.
func TestEventTypeMustBeItsSubject(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "gateway")
	var rec recorder
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "types", Stream: "PROFILES", Backoff: fastBackoff,
		Handle: func(_ context.Context, ev events.Envelope) error {
			rec.call(ev.ID)
			rec.ok(ev.Subject)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	forged := newEvent(t, events.UserVerified, "host-1", 1)
	raw, err := forged.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, events.ProfileCreated, forged.ID, raw, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.PublishEvent(ctx, newEvent(t, events.ProfileCreated, "real", 1)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the real event", func() bool { done, _ := rec.snapshot(); return len(done) == 1 })
	waitFor(t, "the dead letter", func() bool { return streamCount(t, b, "DEADLETTER") == 1 })
	done, calls := rec.snapshot()
	if calls[forged.ID] != 0 || len(done) != 1 || done[0] != "real" {
		t.Errorf("handled %v (forged called %d times); want only the real event", done, calls[forged.ID])
	}
}
