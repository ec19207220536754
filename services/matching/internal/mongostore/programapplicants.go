package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ProgramApplicantsCollection holds one document per program, keyed by the
// program id, listing the applicants with a live application to it.
//
// A host's ranking of a program is checked against who applied. Asking the
// applications collection for {programId, status} reads every application
// on the embedded store (FerretDB v1 hands only {_id: X} to SQLite), about
// 20 s per program once a national round's 400,000 applications are in, so
// 2,600 ranking imports never finished. This read model answers the same
// question with one lookup by _id on FerretDB and on mongod alike.
//
// It may lag behind the applications, never run ahead of them: an
// applicant is added after the application is stored and removed before it
// is withdrawn or erased. Whoever reads it treats an applicant missing from
// it as "ask the applications", and puts back what they find (see
// app.Service.appliedTo), so a crash between the two writes, or
// applications stored before this collection existed, cost one slow read,
// never a wrong answer.
const ProgramApplicantsCollection = "program_applicants"

type programApplicantsDoc struct {
	ID           string   `bson:"_id"`
	ApplicantIDs []string `bson:"applicantIds"`
}

// ProgramApplicants returns the applicants the read model holds for a
// program: none when it has no document for it.
func (s *Store) ProgramApplicants(ctx context.Context, programID string) ([]string, error) {
	var d programApplicantsDoc
	err := s.programApplicants.FindOne(ctx, id(programID)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load the applicants of program %s: %w", programID, err)
	}
	return d.ApplicantIDs, nil
}

// ProgramApplicantsOf returns the applicants the read model holds for each
// of the programs that has a document.
func (s *Store) ProgramApplicantsOf(ctx context.Context, programIDs []string) (map[string][]string, error) {
	return byID(ctx, s.programApplicants, programIDs, func(d programApplicantsDoc) (string, []string, bool) {
		return d.ID, d.ApplicantIDs, true
	})
}

// AddProgramApplicants adds, for each program of byProgram, its applicants
// to the read model, in unordered bulk writes of one upsert per program.
func (s *Store) AddProgramApplicants(ctx context.Context, byProgram map[string][]string) error {
	programs := make([]string, 0, len(byProgram))
	for p, ids := range byProgram {
		if len(ids) > 0 {
			programs = append(programs, p)
		}
	}
	slices.Sort(programs)
	return updateChunks(len(programs), func(from, to int) error {
		models := make([]mongo.WriteModel, 0, to-from)
		for _, p := range programs[from:to] {
			models = append(models, mongo.NewUpdateOneModel().SetFilter(id(p)).SetUpsert(true).
				SetUpdate(bson.D{{Key: "$addToSet", Value: bson.D{{Key: "applicantIds",
					Value: bson.D{{Key: "$each", Value: byProgram[p]}}}}}}))
		}
		if _, err := s.programApplicants.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("add program applicants: %w", err)
		}
		return nil
	})
}

// removeProgramApplicant takes an applicant off a program's list.
func (s *Store) removeProgramApplicant(ctx context.Context, programID, applicantID string) error {
	_, err := s.programApplicants.UpdateOne(ctx, id(programID),
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "applicantIds", Value: bson.A{applicantID}}}}})
	if err != nil {
		return fmt.Errorf("remove a program applicant: %w", err)
	}
	return nil
}

// eraseProgramApplicant takes an applicant off every program's list.
func (s *Store) eraseProgramApplicant(ctx context.Context, applicantID string) error {
	_, err := s.programApplicants.UpdateMany(ctx, bson.D{{Key: "applicantIds", Value: applicantID}},
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "applicantIds", Value: bson.A{applicantID}}}}})
	if err != nil {
		return fmt.Errorf("erase from program applicants: %w", err)
	}
	return nil
}
