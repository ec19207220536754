package natsbus

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// streamAttempt bounds one create-or-update of a stream. On a fresh
// JetStream cluster, services that start together all create the same
// streams at once, and such a request can be left unanswered (measured with
// nats-server 2.15.3, three nodes, four services: every service waited out
// its 30 s start-up bound). Asked again, the cluster finds the stream made
// and answers at once. An attempt that was only slow does no harm either:
// the request is idempotent, so the next one finds its work done.
const streamAttempt = 2 * time.Second

// ensureStream creates or updates one stream, asking again after an
// unanswered or conflicting attempt until ctx ends.
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig, log *slog.Logger) error {
	for {
		actx, cancel := context.WithTimeout(ctx, streamAttempt)
		_, err := js.CreateOrUpdateStream(actx, cfg)
		cancel()
		if err == nil {
			return nil
		}
		again := errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) ||
			errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) || errors.Is(err, nats.ErrNoResponders)
		if !again || ctx.Err() != nil {
			return err
		}
		log.Warn("stream not created or updated yet; asking again", "stream", cfg.Name, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}
