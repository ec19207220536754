package natsbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/shared/events"
)

// Scrub removes from a stream every message on one of subjects whose
// envelope names aggregateID as its subject, overwriting the stored data.
// Erasure uses it so that a person's earlier snapshots (names, statements)
// do not outlive them in the stream; the erasure event itself is kept, on
// another subject, for consumers that have not seen it yet. It reports how
// many messages it removed. Scrubbing twice is harmless.
//
// It reads the stream once with an ordered consumer, so its cost grows
// with the stream; erasures are rare.
func (b *Bus) Scrub(ctx context.Context, stream string, subjects []string, aggregateID string) (int, error) {
	st, err := b.JS.Stream(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("scrub %s: %w", stream, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("scrub %s: %w", stream, err)
	}
	if info.State.Msgs == 0 {
		return 0, nil
	}
	last := info.State.LastSeq
	oc, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: subjects})
	if err != nil {
		return 0, fmt.Errorf("scrub %s: %w", stream, err)
	}
	var seqs []uint64
	for done := false; !done; {
		batch, err := oc.FetchNoWait(500)
		if err != nil {
			return 0, fmt.Errorf("scrub %s: %w", stream, err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			meta, err := m.Metadata()
			if err != nil {
				continue
			}
			if meta.Sequence.Stream >= last {
				done = true
			}
			var env struct {
				Subject string `json:"subject"`
			}
			if json.Unmarshal(m.Data(), &env) == nil && env.Subject == aggregateID {
				seqs = append(seqs, meta.Sequence.Stream)
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
			return 0, fmt.Errorf("scrub %s: %w", stream, err)
		}
		if n == 0 {
			done = true
		}
	}
	removed := 0
	for _, seq := range seqs {
		err := st.SecureDeleteMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) || errors.Is(err, jetstream.ErrMsgDeleteUnsuccessful) {
			continue
		}
		if err != nil {
			return removed, fmt.Errorf("scrub %s seq %d: %w", stream, seq, err)
		}
		removed++
	}
	return removed, nil
}

// ScrubConsumer returns the durable consumer "<service>-scrub" that, for
// every erasure event on erased, scrubs the erased aggregate's earlier
// messages on snapshots from stream. A service that publishes personal
// snapshots runs it so erasure reaches its stream too.
func (b *Bus) ScrubConsumer(service, stream, erased string, snapshots []string) Consumer {
	return Consumer{
		Service: service, Name: "scrub", Stream: stream, Subjects: []string{erased},
		Handle: func(ctx context.Context, ev events.Envelope) error {
			_, err := b.Scrub(ctx, stream, snapshots, ev.Subject)
			return err
		},
	}
}
