// Command matching runs the matching service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/platform"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		slog.Error("matching stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := config.Load[config.Service]()
	if err != nil {
		return err
	}
	log := logging.New(os.Stdout, "matching", cfg.Log.Level)
	return platform.Run(ctx, platform.Options{
		Name:     "matching",
		Config:   cfg,
		Log:      log,
		Services: []platform.Constructor{matching.New},
		Ready:    func(a net.Addr) { log.Info("ready", "addr", a.String()) },
	})
}
