package mongostore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// applicantDoc is one applicant's eligibility facts at a profile version.
// An erased profile keeps only its id, version and the erased mark, so
// that a late event cannot bring its facts back.
type applicantDoc struct {
	ID            string              `bson:"_id"`
	Version       int64               `bson:"version"`
	Erased        bool                `bson:"erased,omitempty"`
	Kind          string              `bson:"kind,omitempty"`
	HomeCountry   string              `bson:"homeCountry,omitempty"`
	DegreeLevel   string              `bson:"degreeLevel,omitempty"`
	BirthYear     int                 `bson:"birthYear,omitempty"`
	Languages     []taxonomy.Language `bson:"languages,omitempty"`
	AvailableFrom string              `bson:"availableFrom,omitempty"`
	AvailableTo   string              `bson:"availableTo,omitempty"`
}

// putVersioned replaces the applicant's document with d when the stored one
// is older (or missing). A newer or equal stored version makes the upsert
// collide on _id, which means the event is stale: nothing to do.
func (s *Store) putVersioned(ctx context.Context, d applicantDoc) error {
	filter := bson.D{{Key: "_id", Value: d.ID}, {Key: "version", Value: bson.D{{Key: "$lt", Value: d.Version}}}}
	_, err := s.applicants.ReplaceOne(ctx, filter, d, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store applicant facts: %w", err)
	}
	return nil
}

// PutApplicant implements app.ApplicantStore. Facts never overwrite an
// erasure, whatever their version.
func (s *Store) PutApplicant(ctx context.Context, id string, version int64, a eligibility.Applicant) error {
	var cur applicantDoc
	err := s.applicants.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&cur)
	switch {
	case err == nil && cur.Erased:
		return nil
	case err != nil && !errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("read applicant facts: %w", err)
	}
	return s.putVersioned(ctx, applicantDoc{ID: id, Version: version, Kind: a.Kind, HomeCountry: a.HomeCountry,
		DegreeLevel: a.DegreeLevel, BirthYear: a.BirthYear, Languages: a.Languages,
		AvailableFrom: a.AvailableFrom, AvailableTo: a.AvailableTo})
}

// EraseApplicant implements app.ApplicantStore: the facts go, whatever
// version they were at.
func (s *Store) EraseApplicant(ctx context.Context, id string, version int64) error {
	_, err := s.applicants.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}},
		applicantDoc{ID: id, Version: version, Erased: true}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("erase applicant facts: %w", err)
	}
	return nil
}

// Applicant implements app.ApplicantStore.
func (s *Store) Applicant(ctx context.Context, id string) (eligibility.Applicant, bool, error) {
	var d applicantDoc
	err := s.applicants.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return eligibility.Applicant{}, false, nil
	case err != nil:
		return eligibility.Applicant{}, false, fmt.Errorf("read applicant facts: %w", err)
	case d.Erased:
		return eligibility.Applicant{}, false, nil
	}
	return eligibility.Applicant{Kind: d.Kind, HomeCountry: d.HomeCountry, DegreeLevel: d.DegreeLevel, BirthYear: d.BirthYear,
		Languages: d.Languages, AvailableFrom: d.AvailableFrom, AvailableTo: d.AvailableTo}, true, nil
}
