// Package profiles is the profiles service: applicant profiles, consents,
// export and erasure (DESIGN.md §3 "Profiles", §4, §6).
//
// It owns the "profiles" database (collections profiles, applications,
// imports), publishes tb.profiles.v1.profile.created|updated|erased through
// the outbox, consumes tb.matching.v1.application.submitted|withdrawn and
// tb.matching.v1.applications.imported
// (durable "profiles-applications") and tb.identity.v1.user.deleted
// ("profiles-user-deleted"), answers tb.rpc.profiles.export and asks
// tb.rpc.{identity,programs,matching}.export when a person exports their
// data (see shared/events/profiles).
package profiles

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/httpapi"
	"github.com/talentbridge/platform/services/profiles/internal/messaging"
	"github.com/talentbridge/platform/services/profiles/internal/mongostore"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Database is the name of the service's own database.
const Database = "profiles"

// Service is the running profiles service.
type Service struct {
	deps  platform.Deps
	app   *app.Service
	relay *outbox.Relay
	// Background holds the relay and the export responder; its Stop ends
	// them (the consumers are drained by the bus when it closes).
	platform.Background
}

// New builds the service: indexes, store, use cases, outbox relay.
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	store := mongostore.New(d.DB(Database), outbox.Config{Publisher: d.Bus, Log: d.Log})
	if err := store.EnsureIndexes(ctx); err != nil {
		return nil, err
	}
	svc := app.New(app.Options{
		Profiles:     store,
		Applications: store,
		Imports:      store,
		Drafts:       store,
		Collector: &messaging.Collector{NC: d.Bus.NC, Log: d.Log.With("component", "export"),
			Services: profilesev.ExportServices},
	})
	return &Service{deps: d, app: svc, relay: store.Relay()}, nil
}

// Problems gives the service's domain errors their HTTP meaning
// (platform.Mapped).
func (s *Service) Problems() web.Mapper { return httpapi.Problems }

var _ platform.Mapped = (*Service)(nil)

// Routes registers the service's part of the API.
func (s *Service) Routes(_ *echo.Echo, api *echo.Group) {
	(&httpapi.Handlers{App: s.app}).Register(api, s.deps.Auth)
}

// Start runs the outbox relay, the consumers and the export responder.
func (s *Service) Start(ctx context.Context) error {
	s.Go(ctx, s.relay.Run, s.sweepDrafts)
	if err := (messaging.Handlers{App: s.app}).Start(ctx, s.deps.Bus); err != nil {
		return err
	}
	log := s.deps.Log.With("component", "export")
	return s.Serve(s.deps.Bus.NC, messaging.Service, log, messaging.ExportEndpoint(s.app, log))
}

// draftSweepEvery is how often expired drafts are deleted.
const draftSweepEvery = time.Hour

// sweepDrafts deletes expired drafts now and then every hour until ctx
// ends. (Reads never return an expired draft in between.)
func (s *Service) sweepDrafts(ctx context.Context) {
	t := time.NewTicker(draftSweepEvery)
	defer t.Stop()
	for {
		if n, err := s.app.SweepDrafts(ctx); err != nil && ctx.Err() == nil {
			s.deps.Log.Warn("sweep expired drafts", "err", err)
		} else if n > 0 {
			s.deps.Log.Info("expired drafts deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
