// Command programs runs the programs service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/shared/platform"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := platform.RunService(ctx, "programs", programs.New); err != nil {
		slog.Error("programs stopped", "err", err)
		os.Exit(1)
	}
}
