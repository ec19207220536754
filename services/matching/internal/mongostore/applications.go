package mongostore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// InsertApplication stores a new application with its events.
func (s *Store) InsertApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	d := applicationDocOf(a)
	d.Outbox = ob
	pending, err := s.viewBegin(ctx, []domain.Application{*a})
	if err != nil {
		return err
	}
	_, err = s.apps.InsertOne(ctx, d)
	var written []domain.Application
	if err == nil {
		written = []domain.Application{*a}
	}
	// Left pending on failure, the view is resolved by its readers
	// (applicantview.go).
	_ = s.viewEnd(ctx, pending, written)
	if mongo.IsDuplicateKeyError(err) {
		return domain.Conflict("already_applied", "you already have a live application to this program")
	}
	if err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	s.relay.Kick()
	// The application is stored: failing the request now would tell the
	// applicant otherwise. A failed update leaves the read model behind,
	// which its readers make up for (programapplicants.go).
	_ = s.AddProgramApplicants(ctx, map[string][]string{a.ProgramID: {a.ApplicantID}})
	return nil
}

// Application returns an application.
func (s *Store) Application(ctx context.Context, aid string) (*domain.Application, error) {
	var d applicationDoc
	if err := s.apps.FindOne(ctx, id(aid), options.FindOne().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})).Decode(&d); err != nil {
		return nil, notFound(err, "application")
	}
	a := d.application()
	return &a, nil
}

func (s *Store) findApplications(ctx context.Context, filter bson.D) ([]domain.Application, error) {
	return s.findApplicationsIn(ctx, filter, "", nil)
}

// findApplicationsIn reads the applications that match filter and, when
// field is set, whose field (programId or applicantId) is among values.
func (s *Store) findApplicationsIn(ctx context.Context, filter bson.D, field string, values []string) ([]domain.Application, error) {
	// Sorted here, not by the server: the embedded store sorts by reading
	// every document before it answers at all, and a national round's
	// applications took longer than one operation may (the run failed on
	// "find applications"); unsorted, each batch is an operation of its own.
	opts := options.Find().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})
	var docs []applicationDoc
	var err error
	switch field {
	case "":
		docs, err = all[applicationDoc](ctx, s.apps, filter, opts)
	case "programId":
		docs, err = findIn(ctx, s.apps, filter, field, values, func(d applicationDoc) string { return d.ProgramID }, opts)
	default:
		docs, err = findIn(ctx, s.apps, filter, field, values, func(d applicationDoc) string { return d.ApplicantID }, opts)
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(docs, func(a, b applicationDoc) int {
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
	})
	out := make([]domain.Application, len(docs))
	for i, d := range docs {
		out[i] = d.application()
	}
	return out, nil
}

// ApplicationsOf returns an applicant's applications, oldest first.
func (s *Store) ApplicationsOf(ctx context.Context, applicantID string) ([]domain.Application, error) {
	return s.findApplications(ctx, bson.D{{Key: "applicantId", Value: applicantID}})
}

// LiveApplicationsTo returns the live applications to the programs.
func (s *Store) LiveApplicationsTo(ctx context.Context, programIDs []string) ([]domain.Application, error) {
	if len(programIDs) == 0 {
		return nil, nil
	}
	return s.findApplicationsIn(ctx, bson.D{{Key: "status", Value: domain.ApplicationSubmitted}}, "programId", programIDs)
}

// LiveApplicationsAround implements app.ApplicationStore. For a long list
// of programs it reads the live applications once and picks in Go what two
// queries would (findIn reads every live application for such a list
// anyway, and a national round's run read them twice: 18 + 24 s at 80,000
// applications on the embedded store).
func (s *Store) LiveApplicationsAround(ctx context.Context, programIDs []string) ([]domain.Application, error) {
	if live, ok, err := s.liveFromView(ctx); err != nil {
		return nil, err
	} else if ok {
		return applicationsAround(live, programIDs), nil
	}
	if len(programIDs) <= manyValues {
		to, err := s.LiveApplicationsTo(ctx, programIDs)
		if err != nil || len(to) == 0 {
			return nil, err
		}
		ids := map[string]bool{}
		for _, a := range to {
			ids[a.ApplicantID] = true
		}
		return s.LiveApplicationsOf(ctx, slices.Sorted(maps.Keys(ids)))
	}
	live, err := s.findApplicationsIn(ctx, bson.D{{Key: "status", Value: domain.ApplicationSubmitted}}, "", nil)
	if err != nil {
		return nil, err
	}
	return applicationsAround(live, programIDs), nil
}

// applicationsAround returns the applications of live (oldest first) whose
// applicant applied to one of the programs.
func applicationsAround(live []domain.Application, programIDs []string) []domain.Application {
	inRound := make(map[string]bool, len(programIDs))
	for _, p := range programIDs {
		inRound[p] = true
	}
	applicants := map[string]bool{}
	for _, a := range live {
		if inRound[a.ProgramID] {
			applicants[a.ApplicantID] = true
		}
	}
	return slices.DeleteFunc(live, func(a domain.Application) bool { return !applicants[a.ApplicantID] })
}

// LiveApplicationsOf returns the live applications of the applicants.
func (s *Store) LiveApplicationsOf(ctx context.Context, applicantIDs []string) ([]domain.Application, error) {
	if len(applicantIDs) == 0 {
		return nil, nil
	}
	return s.findApplicationsIn(ctx, bson.D{{Key: "status", Value: domain.ApplicationSubmitted}}, "applicantId", applicantIDs)
}

// UpdateApplication writes a if the stored version is a.Version-1.
func (s *Store) UpdateApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	d := applicationDocOf(a)
	if !a.Live() {
		// Off the read model first, so it never names a withdrawn applicant.
		if err := s.removeProgramApplicant(ctx, a.ProgramID, a.ApplicantID); err != nil {
			return false, err
		}
	}
	pending, err := s.viewBegin(ctx, []domain.Application{*a})
	if err != nil {
		return false, err
	}
	set := bson.D{{Key: "status", Value: d.Status}, {Key: "liveKey", Value: d.LiveKey},
		{Key: "withdrawnAt", Value: d.WithdrawnAt}, {Key: "version", Value: d.Version}}
	res, err := s.apps.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}, {Key: "version", Value: a.Version - 1}},
		bson.D{{Key: "$set", Value: set}, outbox.Push(ob)})
	var written []domain.Application
	if err == nil && s.wrote(res) {
		written = []domain.Application{*a}
	}
	_ = s.viewEnd(ctx, pending, written) // left pending, resolved by readers
	if err != nil {
		return false, fmt.Errorf("update application: %w", err)
	}
	return s.wrote(res), nil
}

// --- rankings ---

// SetRanking replaces an applicant's rank list. It sets the fields rather
// than replacing the document, which may still carry an import's event in
// its outbox.
func (s *Store) SetRanking(ctx context.Context, applicantID string, programIDs []string, at time.Time) error {
	if programIDs == nil {
		programIDs = []string{}
	}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "programIds", Value: programIDs}, {Key: "updatedAt", Value: at}}}}
	if _, err := s.rankings.UpdateOne(ctx, id(applicantID), update, options.UpdateOne().SetUpsert(true)); err != nil {
		return fmt.Errorf("set ranking: %w", err)
	}
	return nil
}

// Ranking returns an applicant's rank list.
func (s *Store) Ranking(ctx context.Context, applicantID string) ([]string, time.Time, error) {
	return loadRanking(ctx, s.rankings, applicantID, "ranking", func(d rankingDoc) []string { return d.ProgramIDs })
}

// Rankings returns the rank lists of the applicants that have one.
func (s *Store) Rankings(ctx context.Context, applicantIDs []string) (map[string][]string, error) {
	return byID(ctx, s.rankings, applicantIDs, rankList)
}

// EveryRanking returns every applicant's rank list.
func (s *Store) EveryRanking(ctx context.Context) (map[string][]string, error) {
	return everyByID(ctx, s.rankings, rankList)
}

func rankList(d rankingDoc) (string, []string, bool) { return d.ID, d.ProgramIDs, true }

// RemoveRanked takes a program off an applicant's rank list.
func (s *Store) RemoveRanked(ctx context.Context, applicantID, programID string) error {
	_, err := s.rankings.UpdateOne(ctx, id(applicantID),
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "programIds", Value: bson.A{programID}}}}})
	return err
}

// SetProgramRanking replaces a host's ranking of a program.
func (s *Store) SetProgramRanking(ctx context.Context, programID string, applicantIDs []string, by string, at time.Time) error {
	doc := rankingDoc{ID: programID, ApplicantIDs: applicantIDs, By: by, UpdatedAt: at}
	if _, err := s.programRankings.ReplaceOne(ctx, id(programID), doc, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("set program ranking: %w", err)
	}
	return nil
}

// ProgramRanking returns a host's ranking of a program.
func (s *Store) ProgramRanking(ctx context.Context, programID string) ([]string, time.Time, error) {
	return loadRanking(ctx, s.programRankings, programID, "program ranking", func(d rankingDoc) []string { return d.ApplicantIDs })
}

// ProgramRankings returns the rankings of the programs that have one.
func (s *Store) ProgramRankings(ctx context.Context, programIDs []string) (map[string][]string, error) {
	return byID(ctx, s.programRankings, programIDs, func(d rankingDoc) (string, []string, bool) { return d.ID, d.ApplicantIDs, true })
}

// loadRanking reads the ranking key of c, of which ids picks the list:
// never nil, and empty with a zero time when there is none. what names it
// in errors.
func loadRanking(ctx context.Context, c *mongo.Collection, key, what string, ids func(rankingDoc) []string) ([]string, time.Time, error) {
	var d rankingDoc
	err := c.FindOne(ctx, id(key)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return []string{}, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("load %s: %w", what, err)
	}
	list := ids(d)
	if list == nil {
		list = []string{}
	}
	return list, d.UpdatedAt.UTC(), nil
}

// RemoveProgramRanked takes an applicant off a program's ranking.
func (s *Store) RemoveProgramRanked(ctx context.Context, programID, applicantID string) error {
	_, err := s.programRankings.UpdateOne(ctx, id(programID),
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "applicantIds", Value: bson.A{applicantID}}}}})
	return err
}

// ImportRanks inserts the applications (unordered, in bulk writes; one
// whose applicant already has a live application to the program — from an
// earlier, interrupted import, or one the caller's read of the
// program_applicants read model missed — is skipped) and then writes the
// rank lists in a second bulk write. Each applicant's rank list carries,
// in its outbox, the one event announce makes of the applications
// recorded for them: those inserted now, and the live ones a skip points
// to, so that an import sent again after a crash between the two writes
// still announces what the first attempt stored. It returns how many
// applications it inserted.
func (s *Store) ImportRanks(ctx context.Context, apps []domain.Application, ranks map[string][]string,
	announce func(applicantID string, recorded []domain.Application) (events.Envelope, error), at time.Time) (int, error) {
	recorded := map[string][]domain.Application{}
	inserted := 0
	if len(apps) > 0 {
		docs := make([]any, len(apps))
		for i := range apps {
			docs[i] = applicationDocOf(&apps[i])
		}
		pending, err := s.viewBegin(ctx, apps)
		if err != nil {
			return 0, err
		}
		skipped := map[int]bool{}
		err = chunks(len(docs), func(from, to int) error {
			_, err := s.apps.InsertMany(ctx, docs[from:to], options.InsertMany().SetOrdered(false))
			if err != nil {
				dup, ok := mongodb.BulkDuplicates(err)
				if !ok {
					return fmt.Errorf("import applications: %w", err)
				}
				for i := range dup {
					skipped[from+i] = true
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		written := make([]domain.Application, 0, len(apps)-len(skipped))
		var skippedOf []string
		for i := range apps {
			if skipped[i] {
				skippedOf = append(skippedOf, apps[i].ApplicantID)
				continue
			}
			written = append(written, apps[i])
			recorded[apps[i].ApplicantID] = append(recorded[apps[i].ApplicantID], apps[i])
		}
		inserted = len(written)
		if err := s.viewEnd(ctx, pending, written); err != nil {
			return 0, err
		}
		if err := s.recordSkipped(ctx, apps, skipped, skippedOf, recorded); err != nil {
			return 0, err
		}
	}
	if len(ranks) == 0 {
		return inserted, nil
	}
	models := make([]mongo.WriteModel, 0, len(ranks))
	for applicant, programIDs := range ranks {
		update := bson.D{{Key: "$set", Value: bson.D{{Key: "programIds", Value: programIDs}, {Key: "updatedAt", Value: at}}}}
		if rec := recorded[applicant]; len(rec) > 0 {
			ev, err := announce(applicant, rec)
			if err != nil {
				return 0, err
			}
			ob, err := s.relay.Encode(ctx, ev)
			if err != nil {
				return 0, err
			}
			update = append(update, outbox.Push(ob))
		}
		models = append(models, mongo.NewUpdateOneModel().SetFilter(id(applicant)).SetUpdate(update).SetUpsert(true))
	}
	err := updateChunks(len(models), func(from, to int) error {
		if _, err := s.rankings.BulkWrite(ctx, models[from:to], options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("import rank lists: %w", err)
		}
		return nil
	})
	s.relay.Kick()
	if err != nil {
		return 0, err
	}
	// Every ranked program now has a live application of the applicant.
	byProgram := map[string][]string{}
	for applicant, programIDs := range ranks {
		for _, p := range programIDs {
			byProgram[p] = append(byProgram[p], applicant)
		}
	}
	return inserted, s.AddProgramApplicants(ctx, byProgram)
}

// recordSkipped adds to recorded, for each application ImportRanks skipped
// because its applicant already had a live one to the program, that live
// application. On the embedded store this reads every application; it
// happens only when the program_applicants read model lagged, as after a
// crash.
func (s *Store) recordSkipped(ctx context.Context, apps []domain.Application, skipped map[int]bool, applicants []string, recorded map[string][]domain.Application) error {
	if len(skipped) == 0 {
		return nil
	}
	live, err := s.LiveApplicationsOf(ctx, slices.Compact(slices.Sorted(slices.Values(applicants))))
	if err != nil {
		return fmt.Errorf("import applications: find the live ones: %w", err)
	}
	byPair := make(map[[2]string]domain.Application, len(live))
	for _, a := range live {
		byPair[[2]string{a.ApplicantID, a.ProgramID}] = a
	}
	for i := range skipped {
		if a, ok := byPair[[2]string{apps[i].ApplicantID, apps[i].ProgramID}]; ok {
			recorded[a.ApplicantID] = append(recorded[a.ApplicantID], a)
		}
	}
	return nil
}
