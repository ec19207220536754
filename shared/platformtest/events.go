package platformtest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Event builds an envelope, failing the test on error.
func Event(t testing.TB, source, typ, subject string, version int64, payload any) events.Envelope {
	t.Helper()
	ev, err := events.New(source, typ, subject, version, payload)
	if err != nil {
		t.Fatalf("event %s: %v", typ, err)
	}
	return ev
}

// Publish puts ev on its stream as its producer would, with the event id
// as Nats-Msg-Id, and returns it.
func Publish(t testing.TB, bus *natsbus.Bus, ev events.Envelope) events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := bus.PublishEvent(ctx, ev); err != nil {
		t.Fatalf("publish %s: %v", ev.Type, err)
	}
	return ev
}

// PublishWithID publishes ev with msgID as Nats-Msg-Id, so a test can
// deliver one event twice (JetStream drops a repeated id) or a copy under
// a new id. An empty msgID means the event id.
func PublishWithID(t testing.TB, bus *natsbus.Bus, ev events.Envelope, msgID string) events.Envelope {
	t.Helper()
	data, err := ev.Marshal()
	if err != nil {
		t.Fatalf("encode %s: %v", ev.Type, err)
	}
	if msgID == "" {
		msgID = ev.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := bus.Publish(ctx, ev.Type, msgID, data, nil); err != nil {
		t.Fatalf("publish %s: %v", ev.Type, err)
	}
	return ev
}

// EventFilter picks events out of a stream; an empty field matches any.
type EventFilter struct {
	// Type is the event type, which is also the NATS subject it was
	// published on.
	Type string
	// Subject is the aggregate the event is about (the envelope's subject).
	Subject string
}

// StreamEvents returns the events of a stream that f picks, in stream
// order.
func StreamEvents(t testing.TB, bus *natsbus.Bus, stream string, f EventFilter) []events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := bus.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatalf("stream %s info: %v", stream, err)
	}
	var out []events.Envelope
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("stream %s message %d: %v", stream, seq, err)
		}
		if f.Type != "" && m.Subject != f.Type {
			continue
		}
		ev, err := events.Parse(m.Data)
		if err != nil {
			t.Fatalf("stream %s message %d: %v", stream, seq, err)
		}
		if f.Subject == "" || ev.Subject == f.Subject {
			out = append(out, ev)
		}
	}
	return out
}

// WaitEvents waits until the stream holds at least n events that f picks
// and returns them.
func WaitEvents(t testing.TB, bus *natsbus.Bus, stream string, f EventFilter, n int) []events.Envelope {
	t.Helper()
	var got []events.Envelope
	Eventually(t, 20*time.Second, func() error {
		got = StreamEvents(t, bus, stream, f)
		if len(got) < n {
			return fmt.Errorf("%d events %+v in %s, want %d", len(got), f, stream, n)
		}
		return nil
	})
	return got
}

// ConsumerSettled waits until a durable consumer has nothing pending, no
// message unacknowledged and at least acked messages acknowledged, and
// returns its state.
func ConsumerSettled(t testing.TB, bus *natsbus.Bus, stream, durable string, acked uint64) *jetstream.ConsumerInfo {
	t.Helper()
	var info *jetstream.ConsumerInfo
	Eventually(t, 20*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := bus.JS.Consumer(ctx, stream, durable)
		if err != nil {
			return err
		}
		if info, err = c.Info(ctx); err != nil {
			return err
		}
		if info.NumPending != 0 || info.NumAckPending != 0 || info.AckFloor.Consumer < acked {
			return fmt.Errorf("consumer %s: %d pending, %d unacknowledged, %d acknowledged; want all and at least %d acknowledged",
				durable, info.NumPending, info.NumAckPending, info.AckFloor.Consumer, acked)
		}
		return nil
	})
	return info
}
