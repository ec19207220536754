// Package profiles is the profiles service: applicant profiles, consents, export and erasure.
package profiles

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
)

// Database is the name of the service's own database.
const Database = "profiles"

// Service is the running profiles service.
type Service struct {
	deps  platform.Deps
	relay *outbox.Relay
	loops *platform.Loops
}

// New builds the service: its indexes and its outbox relay.
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	db := d.DB(Database)
	if err := mongodb.EnsureIndexes(ctx, db, []mongodb.Index{
		{Collection: "profiles", Keys: bson.D{{Key: "updatedAt", Value: 1}}},
	}); err != nil {
		return nil, err
	}
	return &Service{
		deps:  d,
		relay: outbox.NewRelay(d.Bus, d.Log, 2*time.Second, db.Collection("profiles")),
	}, nil
}

// Routes registers the service's part of the API.
func (s *Service) Routes(_ *echo.Echo, _ *echo.Group) {}

// Start runs the outbox relay.
func (s *Service) Start(ctx context.Context) error {
	s.loops = platform.NewLoops(ctx)
	s.loops.Go(s.relay.Run)
	return nil
}

// Stop ends the background loops.
func (s *Service) Stop(ctx context.Context) error { return s.loops.Stop(ctx) }
