// Package matching is the matching service (DESIGN.md §3 "Matching", §5):
// read models of profiles and programs built from their events;
// recommendations and candidates with scores and reasons; applications and
// rank lists; match rounds run by applicant-proposing deferred acceptance
// under per-program leases; the coordinators' review; offers; the audit
// trail; the outcome report; the export part.
//
// It owns the "matching" database (collections profiles, programs,
// applications, rankings, program_rankings, rounds, matches,
// round_applicants, round_participants, leases, runs, audit), publishes tb.matching.v1.* through
// the outbox of the applications, matches and rounds collections, expires
// offers past their respondBy in every replica (app/offers.go), runs the
// durable consumers matching-profiles, matching-programs and matching-audit
// and, in every replica, an ordered consumer of PROFILES and of PROGRAMS for
// that replica's recommendations, and answers tb.rpc.matching.export in
// queue group "matching".
package matching

import (
	"context"
	"os"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/httpapi"
	"github.com/talentbridge/platform/services/matching/internal/messaging"
	"github.com/talentbridge/platform/services/matching/internal/mongostore"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Database is the name of the service's own database.
const Database = "matching"

var metricRoundDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "tb_round_duration_seconds",
	Help:    "How long match round runs take, from start to stored result, by outcome.",
	Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
}, []string{"outcome"})

// metricViewBuilding is 1 while this replica copies older applications
// into the applicant view; until that is done, runs read every
// application, so an operator (or scripts/national.sh) starting a national
// run waits for 0.
var metricViewBuilding = promauto.NewGauge(prometheus.GaugeOpts{
	Name: "tb_applicant_view_building",
	Help: "1 while this matching replica builds the applicant view that round runs read (docs/OPERATIONS.md).",
})

// Options tune the service beyond its defaults; New uses none.
type Options struct {
	// LeaseTTL is how long a round run holds its programs without
	// renewing (default 30s).
	LeaseTTL time.Duration
	// PhasePause slows every phase of a round run. Only tests set it, to
	// make runs overlap.
	PhasePause time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OfferSweep is how often this replica expires offers past their
	// respondBy (default app.DefaultSweepEvery).
	OfferSweep time.Duration
}

// Service is the running matching service.
type Service struct {
	deps  platform.Deps
	app   *app.Service
	dir   *app.Directory
	store *mongostore.Store
	relay *outbox.Relay
	// Background holds the loops (round runs included) and the export
	// responder.
	platform.Background
	follow *messaging.Follower
	sweep  time.Duration
}

// New builds the service with default options.
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	return NewWithOptions(Options{})(ctx, d)
}

// NewWithOptions returns a constructor with o applied.
func NewWithOptions(o Options) platform.Constructor {
	return func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		return build(ctx, d, o)
	}
}

func build(ctx context.Context, d platform.Deps, o Options) (*Service, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	log := d.Log.With("service", "matching")
	store := mongostore.New(d.DB(Database), now, outbox.Config{Publisher: d.Bus, Log: log})
	if err := store.EnsureIndexes(ctx); err != nil {
		return nil, err
	}
	s := &Service{deps: d, store: store, sweep: o.OfferSweep}
	s.Go(ctx) // the loops exist before Start: the app runs rounds in them
	s.relay = store.Relay()
	s.dir = app.NewDirectory(now)
	host, _ := os.Hostname()
	s.app = app.New(app.Options{
		Store: store, Directory: s.dir, Go: func(f func(context.Context)) { s.Go(ctx, f) }, Log: log, Now: now,
		LeaseTTL: o.LeaseTTL, PhasePause: o.PhasePause, Instance: host,
		OnRunFinished: func(d time.Duration, outcome string) {
			metricRoundDuration.WithLabelValues(outcome).Observe(d.Seconds())
		},
	})
	return s, nil
}

// Problems gives the service's domain errors their HTTP meaning
// (platform.Mapped).
func (s *Service) Problems() web.Mapper { return httpapi.Problems }

var _ platform.Mapped = (*Service)(nil)

// Routes registers the service's part of the API.
func (s *Service) Routes(_ *echo.Echo, api *echo.Group) {
	(&httpapi.Handlers{App: s.app}).Register(api, s.deps.Auth)
}

// backfillView copies applications stored before the applicant view
// existed into it, once; until it has, runs read the applications
// themselves. A failure is retried at the next start.
func (s *Service) backfillView(ctx context.Context) {
	metricViewBuilding.Set(1)
	defer metricViewBuilding.Set(0)
	if err := s.store.BackfillApplicantView(ctx); err != nil && ctx.Err() == nil {
		s.deps.Log.Warn("backfill the applicant view", "service", "matching", "err", err)
	}
}

// Start loads the recommendations and has them follow the profile and
// program events, then runs the outbox relay, the consumers and the export
// responder.
func (s *Service) Start(ctx context.Context) error {
	follow, err := messaging.Follow(ctx, s.deps.Bus.JS, s.dir, s.store,
		s.deps.Log.With("service", "matching", "component", "recommendations"))
	if err != nil {
		return err
	}
	s.follow = follow
	s.Go(ctx, s.relay.Run, func(ctx context.Context) { s.app.SweepOffers(ctx, s.sweep) }, s.backfillView)
	if err := (messaging.Handlers{App: s.app}).Start(ctx, s.deps.Bus); err != nil {
		return err
	}
	log := s.deps.Log.With("service", "matching", "component", "export")
	return s.Serve(s.deps.Bus.NC, messaging.Service, log, messaging.ExportEndpoint(s.app, log))
}

// Stop ends the export responder and the background loops (round runs
// included: an interrupted run gives its leases back and a later run
// repeats it). The consumers are drained by the bus when it closes.
func (s *Service) Stop(ctx context.Context) error {
	if s.follow != nil {
		s.follow.Stop()
	}
	return s.Background.Stop(ctx)
}
