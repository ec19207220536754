// Package mongostore is the matching service's MongoDB adapter. It writes
// only what FerretDB v1 and a standalone mongod both support: one document
// per write, conditional updates for optimistic concurrency and leases, no
// transactions, no partial or TTL indexes, $pullAll rather than $pull with
// a condition.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collection names.
const (
	ProfilesCollection        = "profiles"
	ProgramsCollection        = "programs"
	ApplicationsCollection    = "applications"
	RankingsCollection        = "rankings"
	ProgramRankingsCollection = "program_rankings"
	RoundsCollection          = "rounds"
	MatchesCollection         = "matches"
	RoundApplicantsCollection = "round_applicants"
	LeasesCollection          = "leases"
	RunsCollection            = "runs"
	AuditCollection           = "audit"
)

// Store is the adapter. It owns the outbox relay of the collections whose
// documents carry events and wakes it after each write that stored some.
type Store struct {
	db              *mongo.Database
	profiles        *mongo.Collection
	programs        *mongo.Collection
	apps            *mongo.Collection
	rankings        *mongo.Collection
	programRankings *mongo.Collection
	rounds          *mongo.Collection
	matches         *mongo.Collection
	roundApplicants *mongo.Collection
	leases          *mongo.Collection
	runs            *mongo.Collection
	audit           *mongo.Collection
	now             func() time.Time
	relay           *outbox.Relay
}

var _ app.Store = (*Store)(nil)

// New returns a store over db; now stamps read-model writes, and the
// store's relay publishes as ob says.
func New(db *mongo.Database, now func() time.Time, ob outbox.Config) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{
		db: db, now: now,
		profiles: db.Collection(ProfilesCollection), programs: db.Collection(ProgramsCollection),
		apps: db.Collection(ApplicationsCollection), rankings: db.Collection(RankingsCollection),
		programRankings: db.Collection(ProgramRankingsCollection), rounds: db.Collection(RoundsCollection),
		matches: db.Collection(MatchesCollection), roundApplicants: db.Collection(RoundApplicantsCollection),
		leases: db.Collection(LeasesCollection), runs: db.Collection(RunsCollection),
		audit: db.Collection(AuditCollection),
	}
	s.relay = outbox.NewRelay(ob, s.apps, s.matches, s.rounds)
	return s
}

// Relay is the store's outbox relay, for the service to run.
func (s *Store) Relay() *outbox.Relay { return s.relay }

// Indexes are the indexes the store needs.
var Indexes = []mongodb.Index{
	{Collection: ProfilesCollection, Keys: bson.D{{Key: "syncedAt", Value: 1}}},
	{Collection: ProgramsCollection, Keys: bson.D{{Key: "syncedAt", Value: 1}}},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "liveKey", Value: 1}}, Unique: true},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: ApplicationsCollection, Keys: bson.D{{Key: "programId", Value: 1}, {Key: "status", Value: 1}}},
	{Collection: RoundsCollection, Keys: bson.D{{Key: "createdAt", Value: -1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: MatchesCollection, Keys: bson.D{{Key: "status", Value: 1}, {Key: "createdAt", Value: 1}}},
	{Collection: RoundApplicantsCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: RoundApplicantsCollection, Keys: bson.D{{Key: "applicantId", Value: 1}}},
	{Collection: RunsCollection, Keys: bson.D{{Key: "roundId", Value: 1}}},
	{Collection: AuditCollection, Keys: bson.D{{Key: "entityId", Value: 1}, {Key: "at", Value: -1}}},
	{Collection: AuditCollection, Keys: bson.D{{Key: "at", Value: -1}}},
}

// EnsureIndexes creates the indexes.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	return mongodb.EnsureIndexes(ctx, s.db, Indexes)
}

func id(v string) bson.D { return bson.D{{Key: "_id", Value: v}} }

func in(ids []string) bson.D { return bson.D{{Key: "$in", Value: ids}} }

func notFound(err error, what string) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.NotFound(what)
	}
	return err
}

func all[T any](ctx context.Context, c *mongo.Collection, filter any, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", c.Name(), err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return out, nil
}

// --- read model ---

// updateAttempts bounds the optimistic-concurrency retries of one write.
const updateAttempts = 5

// errBusy is returned when a document keeps changing under a write; the
// consumer retries the event later.
var errBusy = errors.New("the document kept changing; try again")

// sameState matches the stored document only while it is as it was read.
func sameState(cur profileDoc) bson.D {
	erased := bson.E{Key: "erased", Value: bson.D{{Key: "$ne", Value: true}}}
	if cur.Erased {
		erased = bson.E{Key: "erased", Value: true}
	}
	return bson.D{{Key: "_id", Value: cur.ID}, {Key: "version", Value: cur.Version}, erased}
}

// PutProfile writes p when it supersedes what is stored (see
// domain.Profile.Supersedes), conditionally on the stored state it read, so concurrent
// writers (two replicas' consumers) cannot interleave.
func (s *Store) PutProfile(ctx context.Context, p domain.Profile) (bool, error) {
	doc := profileDocOf(p, s.now())
	if p.Version == 1 {
		// A new profile, most likely: try the insert before the look-up.
		_, err := s.profiles.InsertOne(ctx, doc)
		if err == nil {
			return true, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return false, fmt.Errorf("insert profile %s: %w", p.ID, err)
		}
	}
	for range updateAttempts {
		var cur profileDoc
		err := s.profiles.FindOne(ctx, id(p.ID)).Decode(&cur)
		if errors.Is(err, mongo.ErrNoDocuments) {
			if _, err := s.profiles.InsertOne(ctx, doc); mongo.IsDuplicateKeyError(err) {
				continue
			} else if err != nil {
				return false, fmt.Errorf("insert profile %s: %w", p.ID, err)
			}
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("load profile %s: %w", p.ID, err)
		}
		if !p.Supersedes(cur.profile()) {
			return false, nil
		}
		res, err := s.profiles.ReplaceOne(ctx, sameState(cur), doc)
		if err != nil {
			return false, fmt.Errorf("put profile %s: %w", p.ID, err)
		}
		if res.MatchedCount == 1 {
			return true, nil
		}
	}
	return false, errBusy
}

// EraseProfile replaces the stored profile by an id-only tombstone, unless
// it is an incarnation created after the erasure.
func (s *Store) EraseProfile(ctx context.Context, pid string, version int64, at time.Time) (bool, error) {
	at = at.UTC().Truncate(time.Millisecond)
	for range updateAttempts {
		var cur profileDoc
		err := s.profiles.FindOne(ctx, id(pid)).Decode(&cur)
		if errors.Is(err, mongo.ErrNoDocuments) {
			tomb := profileDoc{ID: pid, Version: version, Erased: true, ErasedAt: at, SyncedAt: s.now()}
			if _, err := s.profiles.InsertOne(ctx, tomb); mongo.IsDuplicateKeyError(err) {
				continue
			} else if err != nil {
				return false, fmt.Errorf("erase profile %s: %w", pid, err)
			}
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("load profile %s: %w", pid, err)
		}
		if !cur.Erased && !cur.CreatedAt.IsZero() && !at.IsZero() && cur.CreatedAt.After(at) {
			return false, nil
		}
		if cur.Erased && !cur.ErasedAt.Before(at) && cur.Version >= version {
			return true, nil // already erased; the caller repeats the rest
		}
		erasedAt := at
		if cur.Erased && cur.ErasedAt.After(at) {
			erasedAt = cur.ErasedAt.UTC()
		}
		tomb := profileDoc{ID: pid, Version: max(version, cur.Version), Erased: true, ErasedAt: erasedAt, SyncedAt: s.now()}
		res, err := s.profiles.ReplaceOne(ctx, sameState(cur), tomb)
		if err != nil {
			return false, fmt.Errorf("erase profile %s: %w", pid, err)
		}
		if res.MatchedCount == 1 {
			return true, nil
		}
	}
	return false, errBusy
}

// Profile returns a live profile.
func (s *Store) Profile(ctx context.Context, pid string) (*domain.Profile, error) {
	var d profileDoc
	err := s.profiles.FindOne(ctx, id(pid)).Decode(&d)
	if err != nil {
		return nil, notFound(err, "profile")
	}
	if d.Erased {
		return nil, domain.NotFound("profile")
	}
	p := d.profile()
	return &p, nil
}

// StoredProfile returns the stored profile or tombstone.
func (s *Store) StoredProfile(ctx context.Context, pid string) (domain.Profile, bool, error) {
	var d profileDoc
	err := s.profiles.FindOne(ctx, id(pid)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return domain.Profile{}, false, nil
	}
	if err != nil {
		return domain.Profile{}, false, fmt.Errorf("load profile %s: %w", pid, err)
	}
	return d.profile(), true, nil
}

// Profiles returns the live profiles among ids.
func (s *Store) Profiles(ctx context.Context, ids []string) (map[string]domain.Profile, error) {
	out := map[string]domain.Profile{}
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := all[profileDoc](ctx, s.profiles, bson.D{{Key: "_id", Value: in(ids)}})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if !d.Erased {
			out[d.ID] = d.profile()
		}
	}
	return out, nil
}

// PutProgram writes p unless a version at or above it is stored.
func (s *Store) PutProgram(ctx context.Context, p domain.Program) (bool, error) {
	return mongodb.UpsertVersioned(ctx, s.programs, p.ID, p.Version, "version", programDocOf(p, s.now()))
}

// Program returns a program.
func (s *Store) Program(ctx context.Context, pid string) (*domain.Program, error) {
	var d programDoc
	if err := s.programs.FindOne(ctx, id(pid)).Decode(&d); err != nil {
		return nil, notFound(err, "program")
	}
	p := d.program()
	return &p, nil
}

// Programs returns the programs among ids.
func (s *Store) Programs(ctx context.Context, ids []string) (map[string]domain.Program, error) {
	out := map[string]domain.Program{}
	if len(ids) == 0 {
		return out, nil
	}
	docs, err := all[programDoc](ctx, s.programs, bson.D{{Key: "_id", Value: in(ids)}})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out[d.ID] = d.program()
	}
	return out, nil
}

// Changed returns what was written at or after since.
func (s *Store) Changed(ctx context.Context, since time.Time) ([]domain.Profile, []domain.Program, error) {
	filter := bson.D{{Key: "syncedAt", Value: bson.D{{Key: "$gte", Value: since}}}}
	if since.IsZero() {
		filter = bson.D{}
	}
	sort := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}})
	pdocs, err := all[profileDoc](ctx, s.profiles, filter, sort)
	if err != nil {
		return nil, nil, err
	}
	gdocs, err := all[programDoc](ctx, s.programs, filter, sort)
	if err != nil {
		return nil, nil, err
	}
	profiles := make([]domain.Profile, len(pdocs))
	for i, d := range pdocs {
		profiles[i] = d.profile()
	}
	programs := make([]domain.Program, len(gdocs))
	for i, d := range gdocs {
		programs[i] = d.program()
	}
	return profiles, programs, nil
}

// --- applications ---

// InsertApplication stores a new application with its events.
func (s *Store) InsertApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	d := applicationDocOf(a)
	d.Outbox = ob
	_, err = s.apps.InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return domain.Conflict("already_applied", "you already have a live application to this program")
	}
	if err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	s.relay.Kick()
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
	docs, err := all[applicationDoc](ctx, s.apps, filter,
		options.Find().SetSort(bson.D{{Key: "submittedAt", Value: 1}, {Key: "_id", Value: 1}}).
			SetProjection(bson.D{{Key: outbox.Field, Value: 0}}))
	if err != nil {
		return nil, err
	}
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
	return s.findApplications(ctx, bson.D{{Key: "programId", Value: in(programIDs)}, {Key: "status", Value: domain.ApplicationSubmitted}})
}

// LiveApplicationsOf returns the live applications of the applicants.
func (s *Store) LiveApplicationsOf(ctx context.Context, applicantIDs []string) ([]domain.Application, error) {
	if len(applicantIDs) == 0 {
		return nil, nil
	}
	return s.findApplications(ctx, bson.D{{Key: "applicantId", Value: in(applicantIDs)}, {Key: "status", Value: domain.ApplicationSubmitted}})
}

// UpdateApplication writes a if the stored version is a.Version-1.
func (s *Store) UpdateApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	d := applicationDocOf(a)
	set := bson.D{{Key: "status", Value: d.Status}, {Key: "liveKey", Value: d.LiveKey},
		{Key: "withdrawnAt", Value: d.WithdrawnAt}, {Key: "version", Value: d.Version}}
	res, err := s.apps.UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}, {Key: "version", Value: a.Version - 1}},
		bson.D{{Key: "$set", Value: set}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("update application: %w", err)
	}
	return s.wrote(res), nil
}

// --- rankings ---

// SetRanking replaces an applicant's rank list.
func (s *Store) SetRanking(ctx context.Context, applicantID string, programIDs []string, at time.Time) error {
	doc := rankingDoc{ID: applicantID, ProgramIDs: programIDs, UpdatedAt: at}
	if _, err := s.rankings.ReplaceOne(ctx, id(applicantID), doc, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("set ranking: %w", err)
	}
	return nil
}

// Ranking returns an applicant's rank list.
func (s *Store) Ranking(ctx context.Context, applicantID string) ([]string, time.Time, error) {
	var d rankingDoc
	err := s.rankings.FindOne(ctx, id(applicantID)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return []string{}, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("load ranking: %w", err)
	}
	if d.ProgramIDs == nil {
		d.ProgramIDs = []string{}
	}
	return d.ProgramIDs, d.UpdatedAt.UTC(), nil
}

// Rankings returns the rank lists of the applicants that have one.
func (s *Store) Rankings(ctx context.Context, applicantIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(applicantIDs) == 0 {
		return out, nil
	}
	docs, err := all[rankingDoc](ctx, s.rankings, bson.D{{Key: "_id", Value: in(applicantIDs)}})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out[d.ID] = d.ProgramIDs
	}
	return out, nil
}

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
	var d rankingDoc
	err := s.programRankings.FindOne(ctx, id(programID)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return []string{}, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("load program ranking: %w", err)
	}
	if d.ApplicantIDs == nil {
		d.ApplicantIDs = []string{}
	}
	return d.ApplicantIDs, d.UpdatedAt.UTC(), nil
}

// ProgramRankings returns the rankings of the programs that have one.
func (s *Store) ProgramRankings(ctx context.Context, programIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(programIDs) == 0 {
		return out, nil
	}
	docs, err := all[rankingDoc](ctx, s.programRankings, bson.D{{Key: "_id", Value: in(programIDs)}})
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out[d.ID] = d.ApplicantIDs
	}
	return out, nil
}

// RemoveProgramRanked takes an applicant off a program's ranking.
func (s *Store) RemoveProgramRanked(ctx context.Context, programID, applicantID string) error {
	_, err := s.programRankings.UpdateOne(ctx, id(programID),
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "applicantIds", Value: bson.A{applicantID}}}}})
	return err
}

// --- rounds ---

// InsertRound stores a new round.
func (s *Store) InsertRound(ctx context.Context, r *domain.Round) error {
	if _, err := s.rounds.InsertOne(ctx, roundDocOf(r)); err != nil {
		return fmt.Errorf("insert round: %w", err)
	}
	return nil
}

// Round returns a round.
func (s *Store) Round(ctx context.Context, rid string) (*domain.Round, error) {
	var d roundDoc
	if err := s.rounds.FindOne(ctx, id(rid), options.FindOne().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})).Decode(&d); err != nil {
		return nil, notFound(err, "round")
	}
	return d.round(), nil
}

// Rounds returns a page of rounds, newest first.
func (s *Store) Rounds(ctx context.Context, page, size int) ([]domain.Round, int64, error) {
	total, err := s.rounds.CountDocuments(ctx, bson.D{})
	if err != nil {
		return nil, 0, fmt.Errorf("count rounds: %w", err)
	}
	docs, err := all[roundDoc](ctx, s.rounds, bson.D{}, options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}}).
		SetSkip(int64((page-1)*size)).SetLimit(int64(size)).SetProjection(bson.D{{Key: outbox.Field, Value: 0}}))
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.Round, len(docs))
	for i, d := range docs {
		out[i] = *d.round()
	}
	return out, total, nil
}

// BeginRun marks the round running under runID unless a live run holds it.
// The status it had is kept to return to if the run fails.
func (s *Store) BeginRun(ctx context.Context, rid, runID string, now, expires time.Time) (bool, error) {
	r, err := s.Round(ctx, rid)
	if err != nil {
		return false, err
	}
	prev := r.Status
	if prev == domain.RoundRunning {
		prev = r.PrevStatus // taking over from a run that stopped renewing
	}
	res, err := s.rounds.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: rid}, {Key: "status", Value: r.Status}, {Key: "runId", Value: r.RunID},
			{Key: "runExpiresAt", Value: bson.D{{Key: "$lt", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: domain.RoundRunning}, {Key: "phase", Value: domain.PhaseQueued},
			{Key: "progress", Value: 0}, {Key: "runId", Value: runID}, {Key: "runExpiresAt", Value: expires},
			{Key: "prevStatus", Value: prev}, {Key: "startedAt", Value: now}, {Key: "lastError", Value: ""},
		}}})
	if err != nil {
		return false, fmt.Errorf("begin run: %w", err)
	}
	return res.MatchedCount == 1, nil
}

func running(rid, runID string) bson.D {
	return bson.D{{Key: "_id", Value: rid}, {Key: "runId", Value: runID}, {Key: "status", Value: domain.RoundRunning}}
}

// Progress records a run's phase and renews it.
func (s *Store) Progress(ctx context.Context, rid, runID, phase string, progress int, expires time.Time) (bool, error) {
	res, err := s.rounds.UpdateOne(ctx, running(rid, runID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "phase", Value: phase}, {Key: "progress", Value: progress}, {Key: "runExpiresAt", Value: expires},
	}}})
	if err != nil {
		return false, fmt.Errorf("record progress: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// CompleteRun stores the finished round with its events.
func (s *Store) CompleteRun(ctx context.Context, r *domain.Round, runID string, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	r.RunID, r.RunExpiresAt = runID, time.Time{}
	d := roundDocOf(r)
	set := bson.D{
		{Key: "status", Value: d.Status}, {Key: "phase", Value: d.Phase}, {Key: "progress", Value: d.Progress},
		{Key: "blockingPairs", Value: d.BlockingPairs}, {Key: "overCapacity", Value: d.OverCapacity},
		{Key: "unacceptable", Value: d.Unacceptable}, {Key: "stats", Value: d.Stats}, {Key: "seats", Value: d.Seats},
		{Key: "runs", Value: d.Runs}, {Key: "runExpiresAt", Value: d.RunExpiresAt}, {Key: "lastError", Value: ""},
		{Key: "completedAt", Value: d.CompletedAt}, {Key: "durationMs", Value: d.DurationMS}, {Key: "version", Value: d.Version},
	}
	res, err := s.rounds.UpdateOne(ctx, running(r.ID, runID), bson.D{{Key: "$set", Value: set}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("complete run: %w", err)
	}
	return s.wrote(res), nil
}

// FailRun puts the round back to its status before the run.
func (s *Store) FailRun(ctx context.Context, rid, runID, message string) error {
	r, err := s.Round(ctx, rid)
	if err != nil {
		return err
	}
	prev := r.PrevStatus
	if prev == "" || prev == domain.RoundRunning {
		prev = domain.RoundCreated
	}
	_, err = s.rounds.UpdateOne(ctx, running(rid, runID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: prev}, {Key: "phase", Value: domain.PhaseFailed}, {Key: "progress", Value: 0},
		{Key: "runExpiresAt", Value: notRunning}, {Key: "lastError", Value: message},
	}}})
	if err != nil {
		return fmt.Errorf("fail run: %w", err)
	}
	return nil
}

// MarkPublished moves a completed round to published.
func (s *Store) MarkPublished(ctx context.Context, rid string, at time.Time) (bool, error) {
	res, err := s.rounds.UpdateOne(ctx, bson.D{{Key: "_id", Value: rid}, {Key: "status", Value: domain.RoundCompleted}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: domain.RoundPublished}, {Key: "publishedAt", Value: at}}},
			{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}})
	if err != nil {
		return false, fmt.Errorf("publish round: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// --- matches ---

func (s *Store) findMatches(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]domain.Match, error) {
	docs, err := all[matchDoc](ctx, s.matches, filter, opts.SetProjection(bson.D{{Key: outbox.Field, Value: 0}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.Match, len(docs))
	for i, d := range docs {
		out[i] = d.match()
	}
	return out, nil
}

// MatchesOfRound returns a round's matches by program and applicant.
func (s *Store) MatchesOfRound(ctx context.Context, roundID string) ([]domain.Match, error) {
	return s.findMatches(ctx, bson.D{{Key: "roundId", Value: roundID}},
		options.Find().SetSort(bson.D{{Key: "programId", Value: 1}, {Key: "applicantId", Value: 1}}))
}

// SaveProposed inserts a proposed match, or refreshes one already
// proposed.
func (s *Store) SaveProposed(ctx context.Context, m *domain.Match, evs []events.Envelope) error {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return err
	}
	d := matchDocOf(m)
	d.Outbox = ob
	_, err = s.matches.InsertOne(ctx, d)
	if err == nil {
		s.relay.Kick()
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("insert match: %w", err)
	}
	_, err = s.matches.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "status", Value: domain.MatchProposed}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "choice", Value: d.Choice}, {Key: "score", Value: d.Score},
			{Key: "reasons", Value: d.Reasons}, {Key: "updatedAt", Value: d.UpdatedAt}}}})
	if err != nil {
		return fmt.Errorf("refresh match: %w", err)
	}
	return nil
}

// DeleteProposed deletes the matches among ids that are still proposed.
func (s *Store) DeleteProposed(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.matches.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids)}, {Key: "status", Value: domain.MatchProposed}})
	if err != nil {
		return fmt.Errorf("delete proposals: %w", err)
	}
	return nil
}

// Match returns a match.
func (s *Store) Match(ctx context.Context, mid string) (*domain.Match, error) {
	var d matchDoc
	if err := s.matches.FindOne(ctx, id(mid), options.FindOne().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})).Decode(&d); err != nil {
		return nil, notFound(err, "match")
	}
	m := d.match()
	return &m, nil
}

// UpdateMatch writes m if the stored version is m.Version-1.
func (s *Store) UpdateMatch(ctx context.Context, m *domain.Match, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	d := matchDocOf(m)
	set := bson.D{{Key: "status", Value: d.Status}, {Key: "note", Value: d.Note}, {Key: "decidedBy", Value: d.DecidedBy},
		{Key: "decidedAt", Value: d.DecidedAt}, {Key: "updatedAt", Value: d.UpdatedAt}, {Key: "version", Value: d.Version}}
	res, err := s.matches.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "version", Value: m.Version - 1}},
		bson.D{{Key: "$set", Value: set}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("update match: %w", err)
	}
	return s.wrote(res), nil
}

// wrote reports whether a conditional update that stored events matched,
// and wakes the relay when it did.
func (s *Store) wrote(res *mongo.UpdateResult) bool {
	if res.MatchedCount != 1 {
		return false
	}
	s.relay.Kick()
	return true
}

// ListMatches returns a page of matches, oldest first.
func (s *Store) ListMatches(ctx context.Context, f app.MatchFilter, page, size int) ([]domain.Match, int64, error) {
	filter := bson.D{}
	if f.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: f.Status})
	}
	if f.RoundID != "" {
		filter = append(filter, bson.E{Key: "roundId", Value: f.RoundID})
	}
	total, err := s.matches.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count matches: %w", err)
	}
	ms, err := s.findMatches(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetSkip(int64((page-1)*size)).SetLimit(int64(size)))
	return ms, total, err
}

// MatchesOf returns an applicant's matches, most recently changed first.
func (s *Store) MatchesOf(ctx context.Context, applicantID string) ([]domain.Match, error) {
	return s.findMatches(ctx, bson.D{{Key: "applicantId", Value: applicantID}},
		options.Find().SetSort(bson.D{{Key: "updatedAt", Value: -1}, {Key: "_id", Value: 1}}))
}

// --- round participants ---

// SaveRoundApplicants writes the entries, replacing earlier ones.
func (s *Store) SaveRoundApplicants(ctx context.Context, entries []domain.RoundApplicant) error {
	for _, e := range entries {
		d := roundApplicantDocOf(e)
		if _, err := s.roundApplicants.ReplaceOne(ctx, id(d.ID), d, options.Replace().SetUpsert(true)); err != nil {
			return fmt.Errorf("save round participant: %w", err)
		}
	}
	return nil
}

// KeepRoundApplicants deletes the round's entries of applicants not in
// keep.
func (s *Store) KeepRoundApplicants(ctx context.Context, roundID string, keep []string) error {
	filter := bson.D{{Key: "roundId", Value: roundID}}
	if len(keep) > 0 {
		filter = append(filter, bson.E{Key: "applicantId", Value: bson.D{{Key: "$nin", Value: keep}}})
	}
	if _, err := s.roundApplicants.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("delete round participants: %w", err)
	}
	return nil
}

func (s *Store) findRoundApplicants(ctx context.Context, filter bson.D) ([]domain.RoundApplicant, error) {
	docs, err := all[roundApplicantDoc](ctx, s.roundApplicants, filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	out := make([]domain.RoundApplicant, len(docs))
	for i, d := range docs {
		out[i] = d.entry()
	}
	return out, nil
}

// RoundApplicants returns a round's participants.
func (s *Store) RoundApplicants(ctx context.Context, roundID string) ([]domain.RoundApplicant, error) {
	return s.findRoundApplicants(ctx, bson.D{{Key: "roundId", Value: roundID}})
}

// RoundApplicantsOf returns an applicant's participation in rounds.
func (s *Store) RoundApplicantsOf(ctx context.Context, applicantID string) ([]domain.RoundApplicant, error) {
	return s.findRoundApplicants(ctx, bson.D{{Key: "applicantId", Value: applicantID}})
}

// --- leases ---

// Acquire takes every program's lease for owner, in id order, or none.
// A lease is free when no document exists (the insert wins) or when its
// holder let it expire (the conditional update wins); two contenders can
// never both win, because each step is one atomic single-document write.
func (s *Store) Acquire(ctx context.Context, programIDs []string, owner, roundID string, now time.Time, ttl time.Duration) (*app.Lease, error) {
	ids := slices.Sorted(slices.Values(programIDs))
	var taken []string
	giveBack := func() {
		if err := s.Release(context.WithoutCancel(ctx), taken, owner); err != nil {
			_ = err // the leases expire on their own
		}
	}
	for _, pid := range ids {
		doc := leaseDoc{ID: pid, Owner: owner, RoundID: roundID, ExpiresAt: now.Add(ttl)}
		_, err := s.leases.InsertOne(ctx, doc)
		if err == nil {
			taken = append(taken, pid)
			continue
		}
		if !mongo.IsDuplicateKeyError(err) {
			giveBack()
			return nil, fmt.Errorf("acquire lease %s: %w", pid, err)
		}
		res, err := s.leases.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: pid}, {Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}, {Key: "roundId", Value: roundID},
				{Key: "expiresAt", Value: doc.ExpiresAt}}}})
		if err != nil {
			giveBack()
			return nil, fmt.Errorf("take over lease %s: %w", pid, err)
		}
		if res.MatchedCount == 1 {
			taken = append(taken, pid)
			continue
		}
		var held leaseDoc
		err = s.leases.FindOne(ctx, id(pid)).Decode(&held)
		giveBack()
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, fmt.Errorf("read lease %s: %w", pid, err)
		}
		return &app.Lease{ProgramID: pid, Owner: held.Owner, RoundID: held.RoundID, ExpiresAt: held.ExpiresAt.UTC()}, nil
	}
	return nil, nil
}

// Renew extends owner's leases.
func (s *Store) Renew(ctx context.Context, programIDs []string, owner string, now time.Time, ttl time.Duration) (bool, error) {
	if len(programIDs) == 0 {
		return true, nil
	}
	res, err := s.leases.UpdateMany(ctx, bson.D{{Key: "_id", Value: in(programIDs)}, {Key: "owner", Value: owner}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expiresAt", Value: now.Add(ttl)}}}})
	if err != nil {
		return false, fmt.Errorf("renew leases: %w", err)
	}
	return res.MatchedCount == int64(len(programIDs)), nil
}

// Release gives owner's leases back.
func (s *Store) Release(ctx context.Context, programIDs []string, owner string) error {
	if len(programIDs) == 0 {
		return nil
	}
	_, err := s.leases.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(programIDs)}, {Key: "owner", Value: owner}})
	if err != nil {
		return fmt.Errorf("release leases: %w", err)
	}
	return nil
}

// --- run log ---

// StartRunRecord records that a run started.
func (s *Store) StartRunRecord(ctx context.Context, r app.RunRecord) error {
	_, err := s.runs.InsertOne(ctx, runDoc{ID: r.ID, RoundID: r.RoundID, ProgramIDs: r.ProgramIDs,
		Instance: r.Instance, StartedAt: r.StartedAt})
	return err
}

// FinishRunRecord records that a run ended.
func (s *Store) FinishRunRecord(ctx context.Context, runID string, at time.Time, outcome string) error {
	_, err := s.runs.UpdateOne(ctx, id(runID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "finishedAt", Value: at}, {Key: "outcome", Value: outcome}}}})
	return err
}

// --- audit ---

// AddAudit stores an entry unless one with its id exists.
func (s *Store) AddAudit(ctx context.Context, e domain.AuditEntry) error {
	_, err := s.audit.InsertOne(ctx, auditDoc{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole,
		Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, RoundID: e.RoundID, Note: e.Note})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("add audit entry: %w", err)
	}
	return nil
}

// Audit returns a page of entries, newest first.
func (s *Store) Audit(ctx context.Context, entityType, entityID string, page, size int) ([]domain.AuditEntry, int64, error) {
	filter := bson.D{}
	if entityType != "" {
		filter = append(filter, bson.E{Key: "entityType", Value: entityType})
	}
	if entityID != "" {
		filter = append(filter, bson.E{Key: "entityId", Value: entityID})
	}
	total, err := s.audit.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	docs, err := all[auditDoc](ctx, s.audit, filter, options.Find().
		SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64((page-1)*size)).SetLimit(int64(size)))
	if err != nil {
		return nil, 0, err
	}
	out := make([]domain.AuditEntry, len(docs))
	for i, d := range docs {
		out[i] = domain.AuditEntry{ID: d.ID, At: d.At.UTC(), ActorID: d.ActorID, ActorRole: d.ActorRole, Action: d.Action,
			EntityType: d.EntityType, EntityID: d.EntityID, RoundID: d.RoundID, Note: d.Note}
	}
	return out, total, nil
}

// --- erasure ---

// EraseApplicant deletes everything about an applicant but audit entries.
func (s *Store) EraseApplicant(ctx context.Context, applicantID string) error {
	who := bson.D{{Key: "applicantId", Value: applicantID}}
	if _, err := s.apps.DeleteMany(ctx, who); err != nil {
		return fmt.Errorf("erase applications: %w", err)
	}
	if _, err := s.rankings.DeleteOne(ctx, id(applicantID)); err != nil {
		return fmt.Errorf("erase rank list: %w", err)
	}
	if _, err := s.programRankings.UpdateMany(ctx, bson.D{{Key: "applicantIds", Value: applicantID}},
		bson.D{{Key: "$pullAll", Value: bson.D{{Key: "applicantIds", Value: bson.A{applicantID}}}}}); err != nil {
		return fmt.Errorf("erase from host rankings: %w", err)
	}
	if _, err := s.matches.DeleteMany(ctx, who); err != nil {
		return fmt.Errorf("erase matches: %w", err)
	}
	if _, err := s.roundApplicants.DeleteMany(ctx, who); err != nil {
		return fmt.Errorf("erase round participation: %w", err)
	}
	return nil
}
