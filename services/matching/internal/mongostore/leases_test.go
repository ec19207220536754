package mongostore

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// TestLeaseHolders follows runs holding programs through their holder
// documents: a live hold refuses another run and leaves it nothing;
// renewing writes the holder alone; an expired hold is revoked and its
// programs taken over, and its next renewal fails; a released holder's
// leftover lease is free; a lease written before holders existed counts
// by its own expiry.
func TestLeaseHolders(t *testing.T) {
	ctx := context.Background()
	s := New(mongotest.DB(t), nil, outbox.Config{})
	now := time.Now().UTC().Truncate(time.Millisecond)
	const ttl = 30 * time.Second
	leases := func() []leaseDoc {
		t.Helper()
		docs, err := all[leaseDoc](ctx, s.leases, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		return docs
	}
	owners := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, d := range leases() {
			out[d.ID] = d.Owner
		}
		return out
	}

	if held, err := s.Acquire(ctx, []string{"p2", "p1"}, "run-a", "round-a", now, ttl); err != nil || held != nil {
		t.Fatalf("run A acquire: %+v %v", held, err)
	}
	held, err := s.Acquire(ctx, []string{"p3", "p2"}, "run-b", "round-b", now.Add(time.Second), ttl)
	if err != nil || held == nil || held.ProgramID != "p2" || held.Owner != "run-a" || held.RoundID != "round-a" {
		t.Fatalf("run B acquire while A holds p2 = %+v %v, want p2 held by run-a", held, err)
	}
	if got := owners(); len(got) != 2 || got["p1"] != "run-a" || got["p2"] != "run-a" {
		t.Fatalf("leases after B was refused: %v, want p1 and p2 with run-a only", got)
	}
	if n, _ := s.leaseHolders.CountDocuments(ctx, bson.D{{Key: "_id", Value: "run-b"}}); n != 0 {
		t.Fatal("a refused run left its holder behind")
	}

	before := map[string]time.Time{}
	for _, d := range leases() {
		before[d.ID] = d.ExpiresAt
	}
	if ok, err := s.Renew(ctx, []string{"p1", "p2"}, "run-a", now.Add(5*time.Second), ttl); err != nil || !ok {
		t.Fatalf("run A renew = %v %v, want true", ok, err)
	}
	var h leaseHolderDoc
	if err := s.leaseHolders.FindOne(ctx, id("run-a")).Decode(&h); err != nil || !h.ExpiresAt.Equal(now.Add(5*time.Second+ttl)) {
		t.Fatalf("run A's holder after renewing: %+v %v", h, err)
	}
	for _, d := range leases() {
		if !d.ExpiresAt.Equal(before[d.ID]) {
			t.Errorf("renewing wrote lease %s; it must write the holder alone", d.ID)
		}
	}

	// A stops renewing; B comes after its hold expired.
	late := now.Add(5*time.Second + ttl + time.Second)
	if held, err := s.Acquire(ctx, []string{"p3", "p2"}, "run-b", "round-b", late, ttl); err != nil || held != nil {
		t.Fatalf("run B acquire after A's hold expired = %+v %v, want taken", held, err)
	}
	if got := owners(); got["p1"] != "run-a" || got["p2"] != "run-b" || got["p3"] != "run-b" {
		t.Fatalf("leases after the takeover: %v", got)
	}
	if ok, err := s.Renew(ctx, []string{"p1", "p2"}, "run-a", late, ttl); err != nil || ok {
		t.Fatalf("run A renew after losing p2 = %v %v, want false", ok, err)
	}
	if err := s.Release(ctx, []string{"p2", "p3"}, "run-b"); err != nil {
		t.Fatal(err)
	}
	if got := owners(); len(got) != 1 || got["p1"] != "run-a" {
		t.Fatalf("leases after B released: %v, want only A's p1", got)
	}

	// A's holder is gone (as when a release stopped between its two
	// writes): its leftover lease is free.
	if _, err := s.leaseHolders.DeleteOne(ctx, id("run-a")); err != nil {
		t.Fatal(err)
	}
	if held, err := s.Acquire(ctx, []string{"p1"}, "run-c", "round-c", late, ttl); err != nil || held != nil {
		t.Fatalf("run C acquire of a released holder's lease = %+v %v, want taken", held, err)
	}
	if err := s.Release(ctx, []string{"p1"}, "run-c"); err != nil {
		t.Fatal(err)
	}

	// A lease from before holders: held until its own expiry.
	if _, err := s.leases.InsertOne(ctx, leaseDoc{ID: "p9", Owner: "old-run", RoundID: "old", ExpiresAt: late.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if held, err := s.Acquire(ctx, []string{"p9"}, "run-d", "round-d", late, ttl); err != nil || held == nil || held.Owner != "old-run" {
		t.Fatalf("run D acquire of an unexpired old-style lease = %+v %v, want held by old-run", held, err)
	}
	if held, err := s.Acquire(ctx, []string{"p9"}, "run-d", "round-d", late.Add(2*time.Minute), ttl); err != nil || held != nil {
		t.Fatalf("run D acquire of an expired old-style lease = %+v %v, want taken", held, err)
	}
}
