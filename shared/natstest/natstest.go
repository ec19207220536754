// Package natstest starts real NATS servers with JetStream for tests, in the
// manner of net/http/httptest.
package natstest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/embedded"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Start runs a fresh embedded NATS server with JetStream for this test and
// returns the URL of its test user (embedded.TestUser), which may do
// anything, so one bus can act as several services. It is shut down when
// the test ends. Use Server for the per-service users.
func Start(t testing.TB) string {
	t.Helper()
	return Server(t).URLFor(embedded.TestUser)
}

// Server runs a fresh embedded NATS server as Start does and returns it,
// for URLFor of the platform's own users (shared/natsauth).
func Server(t testing.TB) *embedded.NATS {
	t.Helper()
	srv, err := embedded.StartNATS(embedded.NATSOptions{StoreDir: t.TempDir(), TestUser: true})
	if err != nil {
		t.Fatalf("start nats: %v", err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// Bus connects a bus for service to url, creates the platform's streams and
// closes the bus when the test ends.
func Bus(t testing.TB, url, service string) *natsbus.Bus {
	t.Helper()
	ctx := context.Background()
	b, err := natsbus.Connect(ctx, url, service, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("connect nats: %v", err)
	}
	if err := b.EnsureStreams(ctx, 1); err != nil {
		t.Fatalf("ensure streams: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.Close(ctx)
	})
	return b
}
