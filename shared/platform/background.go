package platform

import (
	"context"
	"errors"
	"log/slog"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/talentbridge/platform/shared/natsbus"
)

// Background is what a service runs besides its routes: loops (the outbox
// relay, sweeps, mail queues) and a request–reply responder (the export
// part). A service embeds it, so its Stop ends both together.
type Background struct {
	loops *Loops
	rpc   micro.Service
}

// Go runs f as one of the service's loops, bound to ctx's values but not to
// its cancellation: Stop ends it. The first call makes the loops.
func (b *Background) Go(ctx context.Context, f ...func(context.Context)) {
	if b.loops == nil {
		b.loops = NewLoops(ctx)
	}
	for _, fn := range f {
		b.loops.Go(fn)
	}
}

// Serve answers endpoints over NATS as the request–reply service name.
func (b *Background) Serve(nc *nats.Conn, name string, log *slog.Logger, endpoints ...natsbus.Endpoint) error {
	svc, err := natsbus.Serve(nc, name, log, endpoints...)
	if err != nil {
		return err
	}
	b.rpc = svc
	return nil
}

// Stop ends the responder first, so no request starts while the loops
// wind down, then the loops, at most until ctx ends.
func (b *Background) Stop(ctx context.Context) error {
	var errs []error
	if b.rpc != nil {
		errs = append(errs, b.rpc.Stop())
	}
	if b.loops != nil {
		errs = append(errs, b.loops.Stop(ctx))
	}
	return errors.Join(errs...)
}
