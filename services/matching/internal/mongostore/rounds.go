package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/outbox"
)

// InsertRound stores a new round, which has no matches yet.
func (s *Store) InsertRound(ctx context.Context, r *domain.Round) error {
	r.NoMatches = true
	// Its participants first: a round without that document is taken to
	// predate it, and its entries are read to learn them.
	if err := s.setRoundParticipants(ctx, r.ID, nil); err != nil {
		return err
	}
	if _, err := s.rounds.InsertOne(ctx, roundDocOf(r)); err != nil {
		return fmt.Errorf("insert round: %w", err)
	}
	return nil
}

// MatchesBegin records that matches of the round are about to be stored
// (NoMatches no longer holds).
func (s *Store) MatchesBegin(ctx context.Context, roundID string) error {
	if _, err := s.rounds.UpdateOne(ctx, id(roundID), bson.D{{Key: "$unset", Value: bson.D{{Key: "noMatches", Value: ""}}}}); err != nil {
		return fmt.Errorf("round %s: note its matches: %w", roundID, err)
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
		{Key: "policyUse", Value: d.PolicyUse},
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

// MarkPublished moves a completed round to published, storing evs in the
// round's outbox in the same write.
func (s *Store) MarkPublished(ctx context.Context, rid string, at time.Time, evs []events.Envelope) (bool, error) {
	ob, err := s.relay.Encode(ctx, evs...)
	if err != nil {
		return false, err
	}
	res, err := s.rounds.UpdateOne(ctx, bson.D{{Key: "_id", Value: rid}, {Key: "status", Value: domain.RoundCompleted}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: domain.RoundPublished}, {Key: "publishedAt", Value: at}}},
			{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}, outbox.Push(ob)})
	if err != nil {
		return false, fmt.Errorf("publish round: %w", err)
	}
	return s.wrote(res), nil
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
