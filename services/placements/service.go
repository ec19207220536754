// Package placements is the placements service: what follows an accepted
// offer — the placement, its checklist with due dates from the rules in
// shared/placementrules, completion, early end and feedback (DESIGN.md §1,
// §3 "Placements", §8).
//
// It owns the "placements" database (collections placements, programs,
// profiles), publishes tb.placements.v1.placement.created|completed|ended
// and tb.placements.v1.task.done|overdue through the outbox, consumes
// tb.matching.v1.offer.accepted ("placements-offers": one placement per
// match), PROGRAMS events ("placements-programs": kind, countries, dates;
// changed dates move the due dates), tb.profiles.v1.profile.created|updated
// ("placements-profiles": home country and region), erases a person on
// tb.identity.v1.user.deleted and tb.profiles.v1.profile.erased, and
// answers tb.rpc.placements.export.
package placements

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/placements/internal/app"
	"github.com/talentbridge/platform/services/placements/internal/httpapi"
	"github.com/talentbridge/platform/services/placements/internal/messaging"
	"github.com/talentbridge/platform/services/placements/internal/mongostore"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Database is the name of the service's own database.
const Database = "placements"

// Service is the running placements service.
type Service struct {
	platform.Background // the relay, the overdue sweep and the export responder
	deps                platform.Deps
	app                 *app.Service
	relay               *outbox.Relay
	cfg                 Config
}

// Config is the service's own configuration, read from the environment.
type Config struct {
	// OverdueEvery is how often open tasks past their due date are looked
	// for and announced.
	OverdueEvery time.Duration `env:"TB_PLACEMENTS_OVERDUE_EVERY" envDefault:"1m"`
}

// Options build the service with a given configuration and clock, for
// tests and standalone; nil Config reads the environment.
type Options struct {
	Config *Config
	Now    func() time.Time
}

// New builds the service from the environment's configuration.
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	return NewWithOptions(Options{})(ctx, d)
}

// NewWithOptions returns the constructor of the service: indexes, stores,
// use cases, outbox relay.
func NewWithOptions(o Options) platform.Constructor {
	return func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		cfg, err := config.LoadOr(o.Config)
		if err != nil {
			return nil, err
		}
		if cfg.OverdueEvery <= 0 {
			cfg.OverdueEvery = time.Minute
		}
		store := mongostore.New(d.DB(Database), outbox.Config{Publisher: d.Bus, Log: d.Log})
		if err := store.EnsureIndexes(ctx); err != nil {
			return nil, err
		}
		svc, err := app.New(app.Options{Placements: store, Models: store, Now: o.Now})
		if err != nil {
			return nil, err
		}
		return &Service{deps: d, app: svc, relay: store.Relay(), cfg: *cfg}, nil
	}
}

// Problems gives the service's domain errors their HTTP meaning.
func (s *Service) Problems() web.Mapper { return httpapi.Problems }

var _ platform.Mapped = (*Service)(nil)

// Routes registers the service's part of the API.
func (s *Service) Routes(_ *echo.Echo, api *echo.Group) {
	(&httpapi.Handlers{App: s.app}).Register(api, s.deps.Auth)
}

// Start runs the outbox relay, the overdue sweep, the consumers and the
// export responder.
func (s *Service) Start(ctx context.Context) error {
	s.Go(ctx, s.relay.Run, s.alertOverdue)
	if err := (messaging.Handlers{App: s.app}).Start(ctx, s.deps.Bus); err != nil {
		return err
	}
	log := s.deps.Log.With("component", "export")
	return s.Serve(s.deps.Bus.NC, messaging.Service, log, messaging.ExportEndpoint(s.app, log))
}

// alertOverdue announces overdue tasks every OverdueEvery until ctx ends.
func (s *Service) alertOverdue(ctx context.Context) {
	t := time.NewTicker(s.cfg.OverdueEvery)
	defer t.Stop()
	for {
		if n, err := s.app.AlertOverdue(ctx); err != nil && ctx.Err() == nil {
			s.deps.Log.Warn("overdue tasks", "err", err)
		} else if n > 0 {
			s.deps.Log.Info("overdue tasks announced", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
