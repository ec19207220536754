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
//
// A run's programs point at one holder document (lease_holders, _id the
// run id), which alone the run renews: renewing a national round's 6,500
// leases one by one held the embedded store's single writer for 3–9 s
// every 10 s and starved the run's own writes (docs/BENCHMARKS.md).
//
// A lease is free when no document exists (the insert wins); when its
// holder is gone (released); when its holder let its hold expire (the
// taker first marks that holder lost, which fails its next renewal, then
// moves the lease to itself if it still names that holder); and, for a
// lease written before holders existed, when it expired itself. Two
// contenders can never both win, because each step is one atomic
// single-document write conditional on what the contender read.
func (s *Store) Acquire(ctx context.Context, programIDs []string, owner, roundID string, now time.Time, ttl time.Duration) (*app.Lease, error) {
	ids := slices.Sorted(slices.Values(programIDs))
	exp := now.Add(ttl)
	if _, err := s.leaseHolders.InsertOne(ctx, leaseHolderDoc{ID: owner, RoundID: roundID, ExpiresAt: exp}); err != nil {
		return nil, fmt.Errorf("acquire leases: %w", err)
	}
	giveBack := func() {
		_ = s.Release(context.WithoutCancel(ctx), ids, owner) // if this fails, the hold expires on its own
	}
	// Free leases are taken by ordered bulk inserts, still in id order (a
	// national round holds thousands of programs): an insert stops at the
	// first lease that exists, which alone is looked at.
	for pos := 0; pos < len(ids); {
		batch := ids[pos:min(len(ids), pos+bulkChunk)]
		docs := make([]any, len(batch))
		for k, pid := range batch {
			docs[k] = leaseDoc{ID: pid, Owner: owner, RoundID: roundID, ExpiresAt: exp, Holder: true}
		}
		_, err := s.leases.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
		if err == nil {
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
		pid := batch[at]
		pos += at + 1
		held, err := s.takeOver(ctx, pid, owner, roundID, now, exp)
		if err != nil || held != nil {
			giveBack()
			return held, err
		}
	}
	return nil, nil
}

// takeOver moves the existing lease of program pid to owner if it is free
// (see Acquire), and otherwise returns who holds it.
func (s *Store) takeOver(ctx context.Context, pid, owner, roundID string, now, exp time.Time) (*app.Lease, error) {
	var held leaseDoc
	err := s.leases.FindOne(ctx, id(pid)).Decode(&held)
	if errors.Is(err, mongo.ErrNoDocuments) { // released since the insert found it
		_, err := s.leases.InsertOne(ctx, leaseDoc{ID: pid, Owner: owner, RoundID: roundID, ExpiresAt: exp, Holder: true})
		if mongo.IsDuplicateKeyError(err) {
			return &app.Lease{ProgramID: pid}, nil // and taken again by another run
		}
		if err != nil {
			return nil, fmt.Errorf("acquire lease %s: %w", pid, err)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read lease %s: %w", pid, err)
	}
	busy := &app.Lease{ProgramID: pid, Owner: held.Owner, RoundID: held.RoundID, ExpiresAt: held.ExpiresAt.UTC()}
	if held.Holder {
		// Revoke the holder if its hold expired; a holder that is gone
		// was released.
		res, err := s.leaseHolders.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: held.Owner}, {Key: "expiresAt", Value: bson.D{{Key: "$lt", Value: now}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "lost", Value: true}}}})
		if err != nil {
			return nil, fmt.Errorf("revoke lease holder %s: %w", held.Owner, err)
		}
		if res.MatchedCount == 0 {
			var h leaseHolderDoc
			err := s.leaseHolders.FindOne(ctx, id(held.Owner)).Decode(&h)
			if err == nil {
				busy.ExpiresAt = h.ExpiresAt.UTC()
				return busy, nil
			}
			if !errors.Is(err, mongo.ErrNoDocuments) {
				return nil, fmt.Errorf("read lease holder %s: %w", held.Owner, err)
			}
		}
	} else if !held.ExpiresAt.Before(now) {
		return busy, nil
	}
	res, err := s.leases.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: pid}, {Key: "owner", Value: held.Owner}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "owner", Value: owner}, {Key: "roundId", Value: roundID},
			{Key: "expiresAt", Value: exp}, {Key: "holder", Value: true}}}})
	if err != nil {
		return nil, fmt.Errorf("take over lease %s: %w", pid, err)
	}
	if res.MatchedCount == 1 {
		return nil, nil
	}
	return busy, nil // another contender moved it first
}

// Renew extends owner's hold on its programs: one write to its holder,
// which fails (false) once another run revoked it.
func (s *Store) Renew(ctx context.Context, programIDs []string, owner string, now time.Time, ttl time.Duration) (bool, error) {
	if len(programIDs) == 0 {
		return true, nil
	}
	res, err := s.leaseHolders.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: owner}, {Key: "lost", Value: bson.D{{Key: "$ne", Value: true}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expiresAt", Value: now.Add(ttl)}}}})
	if err != nil {
		return false, fmt.Errorf("renew leases: %w", err)
	}
	return res.MatchedCount == 1, nil
}

// Release gives owner's leases back: removing the holder frees them all at
// once; the lease documents go after it.
func (s *Store) Release(ctx context.Context, programIDs []string, owner string) error {
	if len(programIDs) == 0 {
		return nil
	}
	if _, err := s.leaseHolders.DeleteOne(ctx, id(owner)); err != nil {
		return fmt.Errorf("release leases: %w", err)
	}
	// By owner alone: a run holds exactly the leases of its programs, and
	// an $in over a national round's 6,500 ids costs the embedded store
	// every lease times every id.
	if _, err := s.leases.DeleteMany(ctx, bson.D{{Key: "owner", Value: owner}}); err != nil {
		return fmt.Errorf("release leases: %w", err)
	}
	return nil
}
