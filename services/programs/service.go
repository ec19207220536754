// Package programs is the programs service: programs, eligibility rules,
// search and lifecycle.
//
// The service keeps its programs in the "programs" database and publishes
// tb.programs.v1.program.published|updated|closed through an outbox in each
// program document. It consumes identity events (to know which hosts are
// verified) and tb.matching.v1.round.completed (to lock seats and
// eligibility), answers tb.rpc.programs.export, and runs three loops: the
// outbox relay; the deadline loop, which closes programs whose application
// deadline has passed (and finishes interrupted imports); and the refresh of
// the in-memory search index with what other replicas wrote.
package programs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/httpapi"
	"github.com/talentbridge/platform/services/programs/internal/messaging"
	"github.com/talentbridge/platform/services/programs/internal/mongostore"
	"github.com/talentbridge/platform/services/programs/internal/search"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Database is the name of the service's own database.
const Database = "programs"

// Config is the service's own settings, from the environment.
type Config struct {
	// CloseInterval is how often published programs whose deadline has
	// passed are looked for and closed.
	CloseInterval time.Duration `env:"TB_PROGRAMS_CLOSE_INTERVAL" envDefault:"5s"`
	// RefreshInterval is how often the search index reads what changed in
	// the database. A replica puts its own writes in its index at once, so
	// this only brings in what other replicas wrote: search on one replica
	// lags writes on another by up to this long. Each refresh is a query on
	// updatedAt, which the embedded store may answer by reading every
	// program (about 0.5 s of CPU per 10,000), so the default is 30 s
	// rather than a few seconds; with one replica (standalone) nothing is
	// missed. Tests that rely on the refresh set a short interval.
	RefreshInterval time.Duration `env:"TB_PROGRAMS_INDEX_REFRESH" envDefault:"30s"`
	// RelayInterval is the period of the outbox relay's full sweep, which
	// only catches what a crashed process left (outbox.DefaultSweepInterval).
	RelayInterval time.Duration `env:"TB_PROGRAMS_RELAY_INTERVAL" envDefault:"1m"`
}

// Validate checks the intervals.
func (c Config) Validate() error {
	var errs []error
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"TB_PROGRAMS_CLOSE_INTERVAL", c.CloseInterval},
		{"TB_PROGRAMS_INDEX_REFRESH", c.RefreshInterval},
		{"TB_PROGRAMS_RELAY_INTERVAL", c.RelayInterval},
	} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %s", d.name, d.v))
		}
	}
	return errors.Join(errs...)
}

// Options configure NewWith.
type Options struct {
	Config Config
	// Clock is the time source; nil means time.Now. Tests move it forward
	// to let deadlines pass.
	Clock func() time.Time
}

// refreshOverlap is how far back each index refresh reads, to catch writes
// whose timestamps trail the latest one seen (clock skew between replicas,
// writes in flight).
const refreshOverlap = time.Minute

// fullRefreshEvery is how often a refresh rereads every program, for
// writes whose timestamps trail the latest seen by more than
// refreshOverlap (an import another replica finished late).
const fullRefreshEvery = 10 * time.Minute

// New builds the service with its configuration from the environment.
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	cfg, err := config.Load[Config]()
	if err != nil {
		return nil, err
	}
	return NewWith(Options{Config: cfg})(ctx, d)
}

// NewWith returns a constructor with explicit options.
func NewWith(o Options) platform.Constructor {
	return func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		if err := o.Config.Validate(); err != nil {
			return nil, err
		}
		clock := o.Clock
		if clock == nil {
			clock = time.Now
		}
		db := d.DB(Database)
		if err := mongodb.EnsureIndexes(ctx, db, mongostore.Indexes()); err != nil {
			return nil, err
		}
		log := d.Log.With("service", "programs")
		store := mongostore.New(db, outbox.Config{Publisher: d.Bus, Log: log, Interval: o.Config.RelayInterval})
		index := search.New(func() time.Time { return clock().UTC().Truncate(time.Millisecond) })
		uc := app.New(app.Options{Programs: store, Hosts: store, Index: index, Clock: clock, Log: log})
		uc.UseSearches(store)
		uc.UseApplicants(store)
		return &Service{
			deps: d, cfg: o.Config, log: log, relay: store.Relay(), app: uc,
			http: httpapi.New(uc), events: messaging.NewHandlers(uc),
		}, nil
	}
}

// Service is the running programs service.
type Service struct {
	deps   platform.Deps
	cfg    Config
	log    *slog.Logger
	relay  *outbox.Relay
	app    *app.Service
	http   *httpapi.Handlers
	events *messaging.Handlers

	subs []*natsbus.Subscription
	// Background holds the loops and the export responder.
	platform.Background
}

// Problems gives the service's domain errors their HTTP meaning
// (platform.Mapped).
func (s *Service) Problems() web.Mapper { return httpapi.Problems }

var _ platform.Mapped = (*Service)(nil)

// Routes registers the service's part of the API.
func (s *Service) Routes(_ *echo.Echo, api *echo.Group) {
	s.http.Register(api, s.deps.Auth)
}

// Start fills the search index, then runs the consumers, the export
// responder, the outbox relay, the deadline loop and the index refresh.
func (s *Service) Start(ctx context.Context) error {
	last, err := s.app.LoadIndex(ctx, time.Time{})
	if err != nil {
		return fmt.Errorf("load search index: %w", err)
	}
	for _, c := range s.events.Consumers() {
		sub, err := s.deps.Bus.Consume(ctx, c)
		if err != nil {
			s.stopSubs(ctx)
			return err
		}
		s.subs = append(s.subs, sub)
	}
	if err := s.Serve(s.deps.Bus.NC, messaging.Service, s.deps.Log, messaging.ExportEndpoint(s.app, s.deps.Log)); err != nil {
		s.stopSubs(ctx)
		return fmt.Errorf("serve export: %w", err)
	}
	s.Go(ctx, s.relay.Run, s.closeLoop, func(ctx context.Context) { s.refreshLoop(ctx, last) })
	return nil
}

// closeLoop closes programs whose deadline has passed and finishes imports
// an earlier process left half done. It finds due programs in the search
// index and reads the store for imports only when one may be unfinished
// (app.FinishImports), so a pass that finds nothing costs no query. All its
// state is in MongoDB, so it picks up after a restart; with several
// replicas each runs it, and the conditional update lets one close each
// program.
func (s *Service) closeLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.CloseInterval)
	defer t.Stop()
	for {
		if _, err := s.app.CloseDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("close due programs", "err", err)
		}
		if err := s.app.FinishImports(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("finish imports", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshLoop brings into the search index what other replicas wrote.
func (s *Service) refreshLoop(ctx context.Context, last time.Time) {
	t := time.NewTicker(s.cfg.RefreshInterval)
	defer t.Stop()
	full := max(1, int(fullRefreshEvery/s.cfg.RefreshInterval))
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		since := last.Add(-refreshOverlap)
		if n%full == 0 || last.IsZero() {
			since = time.Time{}
		}
		latest, err := s.app.LoadIndex(ctx, since)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("refresh search index", "err", err)
			}
			continue
		}
		if latest.After(last) {
			last = latest
		}
	}
}

func (s *Service) stopSubs(ctx context.Context) error {
	var errs []error
	for _, sub := range s.subs {
		errs = append(errs, sub.Stop(ctx))
	}
	s.subs = nil
	return errors.Join(errs...)
}

// Stop ends the consumers, then the export responder and the loops.
func (s *Service) Stop(ctx context.Context) error {
	return errors.Join(s.stopSubs(ctx), s.Background.Stop(ctx))
}
