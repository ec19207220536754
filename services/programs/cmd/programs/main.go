// Command programs runs the programs service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"context"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/platform"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		slog.Error("programs stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := config.Load[config.Service]()
	if err != nil {
		return err
	}
	log := logging.New(os.Stdout, "programs", cfg.Log.Level)
	return platform.Run(ctx, platform.Options{
		Name:     "programs",
		Config:   cfg,
		Log:      log,
		Services: []platform.Constructor{programs.New},
		Ready:    func(a net.Addr) { log.Info("ready", "addr", a.String()) },
	})
}
