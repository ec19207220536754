package mongostore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/mongostore"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

func newStore(t *testing.T) (*mongostore.Store, *mongo.Database) {
	t.Helper()
	db := mongotest.DB(t)
	if err := mongodb.EnsureIndexes(context.Background(), db, mongostore.Indexes); err != nil {
		t.Fatal(err)
	}
	return mongostore.New(db, outbox.Config{}), db
}

// However many attempts arrive at once, no more than the limit are told
// they are within it.
func TestHitNeverLetsMoreThanTheLimitThrough(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	start := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	const attempts, limit = 24, 5
	counts := make([]int, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.Hit(ctx, "login:ip:203.0.113.9", start, time.Minute)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	within, highest := 0, 0
	for _, n := range counts {
		if n <= limit {
			within++
		}
		highest = max(highest, n)
	}
	if within > limit || highest != attempts {
		t.Errorf("counts %v: %d within the limit (want <= %d), highest %d (want %d)", counts, within, limit, highest, attempts)
	}
	// Other keys and windows count apart.
	if n, _ := s.Hit(ctx, "login:ip:203.0.113.10", start, time.Minute); n != 1 {
		t.Errorf("Hit(other key) = %d, want 1", n)
	}
	if n, _ := s.Hit(ctx, "login:ip:203.0.113.9", start.Add(time.Minute), time.Minute); n != 1 {
		t.Errorf("Hit(next window) = %d, want 1", n)
	}
}

func TestMarkUsedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	now := time.Now()
	sess := &domain.Session{ID: "s1", UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	rt := sess.Issue(domain.HashRefreshToken("t1"), now, time.Hour)
	if err := s.CreateSession(ctx, sess, rt); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, err := s.MarkUsed(ctx, rt, now)
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firsts != 1 {
		t.Errorf("%d of 10 concurrent MarkUsed calls were first, want exactly 1", firsts)
	}
	for range 2 {
		if err := s.Revoke(ctx, sess, now); err != nil {
			t.Fatalf("Revoke = %v (again is not an error)", err)
		}
	}
	got, err := s.Session(ctx, "s1")
	if err != nil || !got.Revoked {
		t.Errorf("Session after Revoke = %+v, %v; want revoked", got, err)
	}
}

func TestSweepAndDeleteUser(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	ctx := context.Background()
	now := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, sess := range []*domain.Session{
		{ID: "old", UserID: "u1", CreatedAt: now.Add(-31 * 24 * time.Hour), ExpiresAt: now.Add(-time.Hour)},
		{ID: "live", UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
		{ID: "other", UserID: "u2", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
	} {
		rt := sess.Issue(domain.HashRefreshToken(sess.ID), sess.CreatedAt, time.Hour)
		if err := s.CreateSession(ctx, sess, rt); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MarkUsed(ctx, rt, sess.CreatedAt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Hit(ctx, "k", now.Add(-3*time.Minute), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Sweep(ctx, now); err != nil {
		t.Fatal(err)
	}
	count := func(coll string, f bson.D) int64 {
		n, err := db.Collection(coll).CountDocuments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, coll := range []string{mongostore.SessionsCollection, mongostore.TokensCollection, mongostore.MarksCollection} {
		if n := count(coll, bson.D{}); n != 2 {
			t.Errorf("%s after sweep: %d documents, want 2 (the ended session's are gone)", coll, n)
		}
	}
	if n := count(mongostore.AttemptsCollection, bson.D{}); n != 0 {
		t.Errorf("attempts of a past window after sweep: %d, want 0", n)
	}
	if err := s.DeleteUser(ctx, "u1"); err != nil {
		t.Fatal(err)
	}
	for _, coll := range []string{mongostore.SessionsCollection, mongostore.TokensCollection, mongostore.MarksCollection} {
		if n := count(coll, bson.D{{Key: "userId", Value: "u1"}}); n != 0 {
			t.Errorf("%s of the deleted user: %d, want 0", coll, n)
		}
		if n := count(coll, bson.D{{Key: "userId", Value: "u2"}}); n != 1 {
			t.Errorf("%s of another user: %d, want 1", coll, n)
		}
	}
}

func TestEraseLeavesATombstoneWithoutPersonalData(t *testing.T) {
	t.Parallel()
	s, db := newStore(t)
	ctx := context.Background()
	u, err := domain.NewUser(domain.NewUserInput{ID: "u1", Email: "asha@example.org", Name: "Asha Rao", Organization: "IIT Madras",
		Role: domain.RoleApplicant, PasswordHash: "$argon2id$v=19$secret", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, u, nil); err != nil {
		t.Fatal(err)
	}
	// Two erased accounts at once: the tombstones must not collide on the
	// unique e-mail index.
	u2 := *u
	u2.ID, u2.Email = "u2", "ravi@example.org"
	if err := s.Create(ctx, &u2, nil); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*domain.User{u, &u2} {
		ev, _ := events.New(identity.Source, events.UserDeleted, x.ID, x.Version+1, identity.UserDeleted{UserID: x.ID})
		if err := s.Erase(ctx, x.ID, x.Version, ev); err != nil {
			t.Fatalf("Erase(%s) = %v", x.ID, err)
		}
	}
	var raw bson.Raw
	if err := db.Collection(mongostore.UsersCollection).FindOne(ctx, bson.D{{Key: "_id", Value: "u1"}}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"asha", "Asha Rao", "IIT Madras", "argon2id"} {
		if strings.Contains(raw.String(), secret) {
			t.Errorf("tombstone %s holds %q", raw, secret)
		}
	}
	if _, err := s.Get(ctx, "u1"); err != domain.ErrUserNotFound {
		t.Errorf("Get(erased) = %v, want ErrUserNotFound", err)
	}
	if _, err := s.GetByEmail(ctx, "asha@example.org"); err != domain.ErrUserNotFound {
		t.Errorf("GetByEmail(erased) = %v, want ErrUserNotFound", err)
	}
	again := *u
	again.ID = "u3"
	if err := s.Create(ctx, &again, nil); err != nil {
		t.Errorf("Create with the erased address = %v, want it free again", err)
	}
}

// Count reads a window without counting, and Forget takes back one
// attempt of that window only.
func TestCountAndForget(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	start := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	for range 3 {
		if _, err := s.Hit(ctx, "k", start, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Hit(ctx, "k", start.Add(time.Minute), time.Minute); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(ctx, "k", start); err != nil || n != 3 {
		t.Fatalf("Count = %d, %v; want 3", n, err)
	}
	if n, _ := s.Count(ctx, "k", start); n != 3 {
		t.Errorf("Count again = %d, want 3 (counting is not an attempt)", n)
	}
	if err := s.Forget(ctx, "k", start); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx, "k", start); n != 2 {
		t.Errorf("Count after Forget = %d, want 2", n)
	}
	if n, _ := s.Count(ctx, "k", start.Add(time.Minute)); n != 1 {
		t.Errorf("Count of the next window = %d, want 1 (untouched)", n)
	}
	if n, _ := s.Count(ctx, "other", start); n != 0 {
		t.Errorf("Count of an unused key = %d, want 0", n)
	}
	if err := s.Forget(ctx, "other", start); err != nil {
		t.Errorf("Forget with nothing counted = %v, want nil", err)
	}
}
