package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/shared/mongodb"
)

// programDoc is who hosts a program, from PROGRAMS events.
type programDoc struct {
	ID      string `bson:"_id"`
	HostID  string `bson:"hostId"`
	Version int64  `bson:"version"`
}

// applicationDoc is an application's program and attached documents,
// from MATCHING events. Ids only.
type applicationDoc struct {
	ID          string   `bson:"_id"`
	ApplicantID string   `bson:"applicantId"`
	ProgramID   string   `bson:"programId"`
	DocumentIDs []string `bson:"documentIds"`
	Withdrawn   bool     `bson:"withdrawn"`
	Version     int64    `bson:"version"`
}

// RecordProgram implements app.ReadModels.
func (s *Store) RecordProgram(ctx context.Context, p app.Program, version int64) error {
	_, err := mongodb.UpsertVersioned(ctx, s.progs, p.ID, version, "version",
		programDoc{ID: p.ID, HostID: p.HostID, Version: version})
	return err
}

// RecordApplication implements app.ReadModels.
func (s *Store) RecordApplication(ctx context.Context, a app.Application, version int64) error {
	ids := a.DocumentIDs
	if ids == nil || a.Withdrawn {
		ids = []string{}
	}
	_, err := mongodb.UpsertVersioned(ctx, s.apps, a.ID, version, "version", applicationDoc{ID: a.ID,
		ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, DocumentIDs: ids, Withdrawn: a.Withdrawn, Version: version})
	return err
}

// ApplicationsListing implements app.ReadModels.
func (s *Store) ApplicationsListing(ctx context.Context, applicantID, documentID string) ([]app.Application, error) {
	cur, err := s.apps.Find(ctx, bson.D{{Key: "applicantId", Value: applicantID}, {Key: "documentIds", Value: documentID},
		{Key: "withdrawn", Value: false}})
	if err != nil {
		return nil, fmt.Errorf("find applications: %w", err)
	}
	var docs []applicationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read applications: %w", err)
	}
	out := make([]app.Application, len(docs))
	for i, d := range docs {
		out[i] = app.Application{ID: d.ID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID, DocumentIDs: d.DocumentIDs}
	}
	return out, nil
}

// Programs implements app.ReadModels.
func (s *Store) Programs(ctx context.Context, ids []string) ([]app.Program, error) {
	cur, err := s.progs.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		options.Find().SetProjection(bson.D{{Key: "hostId", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find programs: %w", err)
	}
	var docs []programDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read programs: %w", err)
	}
	out := make([]app.Program, len(docs))
	for i, d := range docs {
		out[i] = app.Program{ID: d.ID, HostID: d.HostID}
	}
	return out, nil
}

// EraseApplicant implements app.ReadModels.
func (s *Store) EraseApplicant(ctx context.Context, applicantID string) error {
	if _, err := s.apps.DeleteMany(ctx, bson.D{{Key: "applicantId", Value: applicantID}}); err != nil {
		return fmt.Errorf("delete applications: %w", err)
	}
	return nil
}
