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
	"github.com/talentbridge/platform/shared/mongodb"
)

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
	// Free leases are taken by ordered bulk inserts, still in id order (a
	// national round holds thousands of programs): an insert stops at the
	// first lease that exists, which alone is looked at.
	exp := now.Add(ttl)
	for pos := 0; pos < len(ids); {
		batch := ids[pos:min(len(ids), pos+bulkChunk)]
		docs := make([]any, len(batch))
		for k, pid := range batch {
			docs[k] = leaseDoc{ID: pid, Owner: owner, RoundID: roundID, ExpiresAt: exp}
		}
		_, err := s.leases.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
		if err == nil {
			taken = append(taken, batch...)
			pos += len(batch)
			continue
		}
		dup, onlyDup := mongodb.BulkDuplicates(err)
		if !onlyDup || len(dup) != 1 {
			giveBack()
			return nil, fmt.Errorf("acquire leases: %w", err)
		}
		var at int
		for k := range dup {
			at = k
		}
		taken = append(taken, batch[:at]...)
		pid := batch[at]
		pos += at + 1
		res, err := s.leases.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: pid}, {Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}, {Key: "roundId", Value: roundID},
				{Key: "expiresAt", Value: exp}}}})
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
	// By owner alone: a run holds exactly the leases of its programs, and
	// an $in over a national round's 6,500 ids made the embedded store
	// compare every lease with every id while it held the database's one
	// writer, for more than the 10 s the run's own progress write could
	// wait (docs/BENCHMARKS.md).
	res, err := s.leases.UpdateMany(ctx, bson.D{{Key: "owner", Value: owner}},
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
	_, err := s.leases.DeleteMany(ctx, bson.D{{Key: "owner", Value: owner}}) // by owner alone, as Renew
	if err != nil {
		return fmt.Errorf("release leases: %w", err)
	}
	return nil
}
