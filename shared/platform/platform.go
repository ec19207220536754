// Package platform runs services. A service is a constructor that receives
// its dependencies and returns something that registers routes and starts
// background work; the same constructor runs alone in its own process
// (services/<name>/cmd/<name>) or together with the others on one Echo in
// services/standalone. Only URLs differ between the two.
package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/logging"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/openapi"
	"github.com/talentbridge/platform/shared/tracing"
	"github.com/talentbridge/platform/shared/web"
)

// APIPrefix is where the public API lives.
const APIPrefix = "/api/v1"

// RevocationCatchUp bounds how long a process waits at start for its
// revocation set to load what the IDENTITY stream holds.
const RevocationCatchUp = 10 * time.Second

// Deps is what a service gets from the process that hosts it.
type Deps struct {
	Log      *slog.Logger
	Mongo    *mongo.Client
	DBPrefix string
	Bus      *natsbus.Bus
	// Auth verifies access tokens with the identity service's keys and
	// refuses those of ended sign-ins and accounts (Auth.Revocations()).
	Auth *auth.Verifier

	// busFor connects a service by name as its own NATS user (see As);
	// nil where every service shares Bus.
	busFor func(ctx context.Context, service string) (*natsbus.Bus, error)
}

// DB returns the service's own database.

// buildTimeout bounds connecting and building every service at start.
const buildTimeout = 5 * time.Minute

func (d Deps) DB(name string) *mongo.Database { return d.Mongo.Database(d.DBPrefix + name) }

// Service is one part of the platform.
type Service interface {
	// Routes registers the service's HTTP routes; api is the /api/v1 group.
	Routes(e *echo.Echo, api *echo.Group)
	// Start starts consumers and background loops and returns; they run
	// until Stop.
	Start(ctx context.Context) error
	// Stop ends the background loops and waits for them.
	Stop(ctx context.Context) error
}

// Mapped is a Service whose domain errors have HTTP meanings: its handlers
// return domain errors and its one web.Mapper gives them status, code and
// fields.
type Mapped interface {
	Problems() web.Mapper
}

// MapErrors sets e's error handler to use the given mappers, then the
// mapper of each service that has one (see Mapped).
func MapErrors(e *echo.Echo, log *slog.Logger, mappers []web.Mapper, services ...Service) {
	all := append([]web.Mapper(nil), mappers...)
	for _, s := range services {
		if m, ok := s.(Mapped); ok {
			all = append(all, m.Problems())
		}
	}
	e.HTTPErrorHandler = web.ErrorHandler(log, all...)
}

// Documented is a Service that describes its routes in detail with a
// hand-written OpenAPI 3.1 part; it overlays the part generated from the
// access tables.
type Documented interface {
	OpenAPI() []byte
}

// Constructor builds a service: indexes, stores, use cases.
type Constructor func(ctx context.Context, d Deps) (Service, error)

// As names the service build makes, so that where the process gives each
// service its own NATS user (Options.ServiceNATS) it gets a bus of its own,
// with only that user's permissions (shared/natsauth). Elsewhere it shares
// the process's bus, whose URL carries the service's credentials anyway.
func As(name string, build Constructor) Constructor {
	return func(ctx context.Context, d Deps) (Service, error) {
		if d.busFor != nil {
			b, err := d.busFor(ctx, name)
			if err != nil {
				return nil, err
			}
			d.Bus = b
		}
		return build(ctx, d)
	}
}

// Options configures Run.
type Options struct {
	Name     string
	Config   config.Service
	Log      *slog.Logger
	Services []Constructor
	// Mappers translate the services' domain errors for the error handler.
	Mappers []web.Mapper
	// Ready is called with the HTTP address once the server listens.
	Ready func(net.Addr)
	// Replicas of each stream; 1 unless a NATS cluster is used.
	StreamReplicas int
	// ServiceNATS, when set, holds each service's own NATS URL (with its
	// credentials) by name: every service made with As connects with its
	// own, and one without an entry fails to start. Config.NATS.URL is
	// then the process's own connection (natsauth.Platform).
	ServiceNATS map[string]string
}

// Run connects to MongoDB and NATS, builds the services, serves HTTP until
// ctx ends, then shuts down in reverse order: HTTP, background work and
// consumers, the NATS connection, the MongoDB client.
func Run(ctx context.Context, o Options) error {
	log := o.Log
	cfg := o.Config
	if cfg.Mongo.URI == "" || cfg.NATS.URL == "" {
		return errors.New("MONGODB_URI and NATS_URL are required")
	}
	log.Info("starting", "mongodb", config.MaskURL(cfg.Mongo.URI), "nats", config.MaskURL(cfg.NATS.URL))
	stopTracing, err := tracing.Setup(ctx, o.Name)
	if err != nil {
		return err
	}
	defer func() {
		tctx, tcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer tcancel()
		_ = stopTracing(tctx)
	}()

	// Building the services (their indexes, first reads) gets this long.
	// Restarted on a national round's data, with the services started
	// first already taking in a backlog of events, the embedded store took
	// more than 30 s to build the last ones.
	cctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	mc, err := mongodb.Connect(cctx, cfg.Mongo.URI, o.Name)
	if err != nil {
		return err
	}
	defer func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer dcancel()
		_ = mc.Disconnect(dctx)
	}()
	bus, err := natsbus.Connect(cctx, cfg.NATS.URL, o.Name, log)
	if err != nil {
		return err
	}
	busClosed := false
	var serviceBuses []*natsbus.Bus
	closeBus := func() {
		if busClosed {
			return
		}
		busClosed = true
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer dcancel()
		for _, b := range append(serviceBuses, bus) {
			if err := b.Close(dctx); err != nil {
				log.Warn("close nats", "err", err)
			}
		}
	}
	defer closeBus()
	replicas := o.StreamReplicas
	if replicas == 0 {
		replicas = cfg.NATS.StreamReplicas
	}
	if err := bus.EnsureStreams(cctx, replicas); err != nil {
		return err
	}

	// Every process keeps the set of ended sign-ins and accounts, rebuilt
	// from the IDENTITY stream now and followed from then on; its verifier
	// refuses their tokens.
	revoked := auth.NewRevocations()
	stopRevocations, err := auth.Follow(ctx, bus.JS, revoked, log, RevocationCatchUp)
	if err != nil {
		return err
	}
	defer stopRevocations()
	deps := Deps{Log: log, Mongo: mc, DBPrefix: cfg.Mongo.DBPrefix, Bus: bus,
		Auth: auth.NewVerifier(auth.NewRemoteKeys(bus.NC)).WithRevocations(revoked)}
	if o.ServiceNATS != nil {
		deps.busFor = func(ctx context.Context, name string) (*natsbus.Bus, error) {
			url, ok := o.ServiceNATS[name]
			if !ok {
				return nil, fmt.Errorf("service %s has no NATS user (add it to shared/natsauth.Users)", name)
			}
			b, err := natsbus.Connect(ctx, url, name, log)
			if err != nil {
				return nil, fmt.Errorf("service %s: %w", name, err)
			}
			serviceBuses = append(serviceBuses, b)
			return b, nil
		}
	}
	e := web.New(web.Options{
		Log:            log,
		RequestTimeout: cfg.HTTP.RequestTimeout,
		CORSOrigins:    cfg.HTTP.CORSOrigins,
		TrustedProxies: cfg.HTTP.TrustedProxies,
		Mappers:        o.Mappers,
	})
	web.Health(e,
		web.Check{Name: "mongodb", Fn: func(ctx context.Context) error { return mongodb.Ping(ctx, mc) }},
		web.Check{Name: "nats", Fn: bus.Check},
	)
	api := e.Group(APIPrefix)

	var started []Service
	stopAll := func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		for i := len(started) - 1; i >= 0; i-- {
			if err := started[i].Stop(sctx); err != nil {
				log.Warn("stop service", "err", err)
			}
		}
		started = nil
	}
	defer stopAll()
	for _, build := range o.Services {
		s, err := build(cctx, deps)
		if err != nil {
			return fmt.Errorf("build service: %w", err)
		}
		s.Routes(e, api)
		if err := s.Start(ctx); err != nil {
			return fmt.Errorf("start service: %w", err)
		}
		started = append(started, s)
	}
	cancel()
	MapErrors(e, log, o.Mappers, started...)
	docSub, err := serveOpenAPI(e, bus, o.Name, started, log)
	if err != nil {
		return err
	}
	defer docSub.Unsubscribe()

	err = web.Serve(ctx, e, cfg.HTTP.Addr, cfg.HTTP.ShutdownTimeout, o.Ready)
	// Reverse order: HTTP is closed; now background work, then consumers
	// and the connection, then (deferred) MongoDB.
	stopAll()
	closeBus()
	return err
}

// Loops runs a service's background goroutines and stops them together.
type Loops struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewLoops returns loops bound to a context derived from ctx.
func NewLoops(ctx context.Context) *Loops {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &Loops{ctx: ctx, cancel: cancel}
}

// Go runs f in a goroutine; f must return when its context ends.
func (l *Loops) Go(f func(ctx context.Context)) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		f(l.ctx)
	}()
}

// Stop cancels every loop and waits for them, at most until ctx ends.
func (l *Loops) Stop(ctx context.Context) error {
	l.cancel()
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("background loops did not stop: %w", ctx.Err())
	}
}

// serveOpenAPI makes this process's part of the OpenAPI document — its
// routes from the access tables, overlaid with the services' hand-written
// parts — available at GET /openapi.json and over NATS (openapi.Subject),
// where the gateway gathers every process's part.
func serveOpenAPI(e *echo.Echo, bus *natsbus.Bus, name string, services []Service, log *slog.Logger) (*nats.Subscription, error) {
	// The part is made once, at the first request: by then every route
	// is registered, and describing them all takes long enough on a busy
	// machine to miss the gateway's short gathering window if it were
	// made anew for each request.
	part := sync.OnceValue(func() openapi.Doc {
		var routes []auth.RouteInfo
		for _, r := range auth.Registered() {
			if strings.HasPrefix(r.Path, APIPrefix+"/") {
				routes = append(routes, r)
			}
		}
		gen, err := openapi.Generate(name, routes)
		if err != nil {
			log.Warn("openapi part", "err", err)
		}
		parts := []openapi.Doc{gen}
		for _, s := range services {
			if d, ok := s.(Documented); ok {
				doc, err := openapi.Parse(d.OpenAPI())
				if err != nil {
					log.Warn("openapi part", "err", err)
					continue
				}
				parts = append(parts, doc)
			}
		}
		return openapi.Merge("TalentBridge "+name, parts...)
	})
	e.GET("/openapi.json", func(c echo.Context) error { return c.JSON(http.StatusOK, part()) })
	return bus.NC.Subscribe(openapi.Subject, func(m *nats.Msg) {
		body, err := json.Marshal(part())
		if err == nil {
			err = m.Respond(body)
		}
		if err != nil {
			log.Warn("answer openapi request", "err", err)
		}
	})
}

// Main is the whole main function of a single-service command: it stops on
// SIGINT or SIGTERM, runs the service with RunService and exits with status
// 1 when that fails.
func Main(name string, build Constructor) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := RunService(ctx, name, build)
	stop()
	if err != nil {
		slog.Error(name+" stopped", "err", err)
		os.Exit(1)
	}
}

// RunService is the whole of a single-service process after main has set
// up signals: configuration from the environment, the JSON logger, then
// Run with the one service.
func RunService(ctx context.Context, name string, build Constructor) error {
	cfg, err := config.Load[config.Service]()
	if err != nil {
		return err
	}
	log := logging.New(os.Stdout, name, cfg.Log.Level)
	return Run(ctx, Options{
		Name:     name,
		Config:   cfg,
		Log:      log,
		Services: []Constructor{build},
		Ready:    func(a net.Addr) { log.Info("ready", "addr", a.String()) },
	})
}
