package mongostore

import (
	"context"
	"errors"
	"fmt"
	"math"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/placements/internal/app"
	"github.com/talentbridge/platform/services/placements/internal/domain"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// programDoc is what a placement needs of a program, from PROGRAMS events.
type programDoc struct {
	ID          string      `bson:"_id"`
	HostID      string      `bson:"hostId"`
	Title       string      `bson:"title"`
	Kind        string      `bson:"kind"`
	HostCountry string      `bson:"hostCountry"`
	Region      string      `bson:"region"`
	Fields      []string    `bson:"fields"`
	StartDate   string      `bson:"startDate"`
	EndDate     string      `bson:"endDate"`
	Stipend     *stipendDoc `bson:"stipend,omitempty"`
	Version     int64       `bson:"version"`
}

type stipendDoc struct {
	Amount   int64  `bson:"amount"`
	Currency string `bson:"currency"`
	Period   string `bson:"period"`
}

// profileDoc is where an applicant comes from, from PROFILES events.
type profileDoc struct {
	ID          string              `bson:"_id"`
	HomeCountry string              `bson:"homeCountry"`
	Region      string              `bson:"region"`
	DegreeLevel string              `bson:"degreeLevel,omitempty"`
	BirthYear   int                 `bson:"birthYear,omitempty"`
	Languages   []taxonomy.Language `bson:"languages,omitempty"`
	Version     int64               `bson:"version"`
}

// RecordProgram implements app.ReadModels.
func (s *Store) RecordProgram(ctx context.Context, p app.Program, version int64) (bool, error) {
	return mongodb.UpsertVersioned(ctx, s.progs, p.ID, version, "version", programDoc{ID: p.ID, HostID: p.HostID,
		Title: p.Title, Kind: p.Kind, HostCountry: p.HostCountry, Region: p.Region, Fields: p.Fields,
		StartDate: p.StartDate, EndDate: p.EndDate, Stipend: (*stipendDoc)(p.Stipend), Version: version})
}

// Program implements app.ReadModels.
func (s *Store) Program(ctx context.Context, id string) (*app.Program, error) {
	var d programDoc
	err := s.progs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load program: %w", err)
	}
	return &app.Program{ID: d.ID, HostID: d.HostID, Title: d.Title, Kind: d.Kind, HostCountry: d.HostCountry,
		Region: d.Region, Fields: d.Fields, StartDate: d.StartDate, EndDate: d.EndDate, Stipend: (*app.Stipend)(d.Stipend)}, nil
}

// RecordProfile implements app.ReadModels.
func (s *Store) RecordProfile(ctx context.Context, p app.Profile, version int64) (bool, error) {
	return mongodb.UpsertVersioned(ctx, s.profiles, p.ID, version, "version",
		profileDoc{ID: p.ID, HomeCountry: p.HomeCountry, Region: p.Region, DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear,
			Languages: p.Languages, Version: version})
}

// Profile implements app.ReadModels.
func (s *Store) Profile(ctx context.Context, id string) (*app.Profile, error) {
	var d profileDoc
	err := s.profiles.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load profile: %w", err)
	}
	return &app.Profile{ID: d.ID, HomeCountry: d.HomeCountry, Region: d.Region, DegreeLevel: d.DegreeLevel,
		BirthYear: d.BirthYear, Languages: d.Languages}, nil
}

// EraseProfile implements app.ReadModels: the entry keeps only its id
// under the highest version, so that an older profile event delivered
// late cannot bring the erased facts back.
func (s *Store) EraseProfile(ctx context.Context, id string) error {
	if _, err := s.profiles.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, profileDoc{ID: id, Version: math.MaxInt64},
		options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("delete profile: %w", err)
	}
	return nil
}
