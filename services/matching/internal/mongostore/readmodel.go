package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/mongodb"
)

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

// ProfileIDsByEmail maps the e-mail addresses of live imported profiles
// among emails to their ids.
func (s *Store) ProfileIDsByEmail(ctx context.Context, emails []string) (map[string]string, error) {
	out := make(map[string]string, len(emails))
	if len(emails) == 0 {
		return out, nil
	}
	type emailDoc struct {
		ID     string `bson:"_id"`
		Email  string `bson:"email"`
		Erased bool   `bson:"erased"`
	}
	docs, err := findIn(ctx, s.profiles, bson.D{}, "email", emails, func(d emailDoc) string { return d.Email },
		options.Find().SetProjection(bson.D{{Key: "email", Value: 1}, {Key: "erased", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("profiles by e-mail: %w", err)
	}
	for _, d := range docs {
		if !d.Erased {
			out[d.Email] = d.ID
		}
	}
	return out, nil
}

// Profiles returns the live profiles among ids.
func (s *Store) Profiles(ctx context.Context, ids []string) (map[string]domain.Profile, error) {
	return byID(ctx, s.profiles, ids, liveProfile)
}

// EveryProfile returns every live profile, by id.
func (s *Store) EveryProfile(ctx context.Context) (map[string]domain.Profile, error) {
	return everyByID(ctx, s.profiles, liveProfile)
}

func liveProfile(d profileDoc) (string, domain.Profile, bool) { return d.ID, d.profile(), !d.Erased }

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
	return byID(ctx, s.programs, ids, func(d programDoc) (string, domain.Program, bool) {
		return d.ID, d.program(), true
	})
}

// AllProfiles returns every stored profile, tombstones included.
func (s *Store) AllProfiles(ctx context.Context) ([]domain.Profile, error) {
	docs, err := all[profileDoc](ctx, s.profiles, bson.D{})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Profile, len(docs))
	for i, d := range docs {
		out[i] = d.profile()
	}
	return out, nil
}

// AllPrograms returns every stored program.
func (s *Store) AllPrograms(ctx context.Context) ([]domain.Program, error) {
	docs, err := all[programDoc](ctx, s.programs, bson.D{})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Program, len(docs))
	for i, d := range docs {
		out[i] = d.program()
	}
	return out, nil
}
