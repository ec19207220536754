package natsbus

import (
	"log/slog"

	"github.com/nats-io/nats.go"
)

// asyncErrorLogger reports the errors the NATS client meets outside any
// call (a slow subscriber, a connection reset while a node of the cluster
// dies) in the service's log. Without it the client prints them on stderr,
// unstructured.
func asyncErrorLogger(log *slog.Logger) nats.ErrHandler {
	return func(_ *nats.Conn, sub *nats.Subscription, err error) {
		if sub != nil {
			log.Warn("nats async error", "err", err, "subject", sub.Subject)
			return
		}
		log.Warn("nats async error", "err", err)
	}
}
