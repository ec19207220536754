package mongodb_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/natstest"
)

type readModel struct {
	ID      string `bson:"_id"`
	Name    string `bson:"name"`
	Version int64  `bson:"version"`
}

func TestUpsertVersionedKeepsNewest(t *testing.T) {
	c := mongotest.DB(t).Collection("profiles")
	ctx := context.Background()
	steps := []struct {
		version   int64
		name      string
		wantWrite bool
		wantName  string
	}{
		{2, "v2", true, "v2"},   // first seen: inserted
		{1, "v1", false, "v2"},  // older arrives late: ignored
		{2, "v2b", false, "v2"}, // same version again: ignored
		{3, "v3", true, "v3"},   // newer: applied
	}
	for _, s := range steps {
		wrote, err := mongodb.UpsertVersioned(ctx, c, "a1", s.version, "version", readModel{ID: "a1", Name: s.name, Version: s.version})
		if err != nil {
			t.Fatalf("UpsertVersioned(v%d) error = %v", s.version, err)
		}
		if wrote != s.wantWrite {
			t.Errorf("UpsertVersioned(v%d) wrote = %v, want %v", s.version, wrote, s.wantWrite)
		}
		var got readModel
		if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "a1"}}).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got.Name != s.wantName {
			t.Errorf("after v%d: name = %q, want %q", s.version, got.Name, s.wantName)
		}
	}
}

// TestUpsertVersionedRacingWriters lets several writers apply the versions
// of one document in shuffled orders at once: whatever the interleaving,
// the newest version is what stays, and each version is written at most
// once.
func TestUpsertVersionedRacingWriters(t *testing.T) {
	c := mongotest.DB(t).Collection("profiles")
	ctx := context.Background()
	const writers, versions = 4, 12
	var mu sync.Mutex
	wrote := map[int64]int{}
	var wg sync.WaitGroup
	for w := range writers {
		order := rand.New(rand.NewPCG(uint64(w), 7)).Perm(versions)
		wg.Go(func() {
			for _, i := range order {
				v := int64(i + 1)
				ok, err := mongodb.UpsertVersioned(ctx, c, "r1", v, "version", readModel{ID: "r1", Name: fmt.Sprint("v", v), Version: v})
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					wrote[v]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	var got readModel
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "r1"}}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Version != versions || got.Name != fmt.Sprint("v", versions) {
		t.Errorf("stored %+v, want version %d", got, versions)
	}
	for v, n := range wrote {
		if n > 1 {
			t.Errorf("version %d written %d times", v, n)
		}
	}
	if wrote[versions] != 1 {
		t.Errorf("the newest version was written %d times, want 1", wrote[versions])
	}
}

func TestTranslate(t *testing.T) {
	db := mongotest.DB(t)
	ctx := context.Background()
	if err := mongodb.EnsureIndexes(ctx, db, []mongodb.Index{{Collection: "users", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true}}); err != nil {
		t.Fatal(err)
	}
	c := db.Collection("users")
	if _, err := c.InsertOne(ctx, bson.M{"_id": "u1", "email": "a@example.org"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.InsertOne(ctx, bson.M{"_id": "u2", "email": "a@example.org"})
	if err := mongodb.Translate(err); !errors.Is(err, mongodb.ErrDuplicate) {
		t.Errorf("Translate(duplicate email) = %v, want ErrDuplicate", err)
	}
	err = c.FindOne(ctx, bson.M{"_id": "nope"}).Err()
	if err := mongodb.Translate(err); !errors.Is(err, mongodb.ErrNotFound) {
		t.Errorf("Translate(no documents) = %v, want ErrNotFound", err)
	}
	if mongodb.Translate(nil) != nil {
		t.Error("Translate(nil) != nil")
	}
}

// TestConsumerAppliesRepeatedEventOnce delivers one event twice (as a
// redelivery after a lost ack would) and an older version after a newer
// one, through a real consumer, and checks the read model.
func TestConsumerAppliesRepeatedEventOnce(t *testing.T) {
	b := natstest.Bus(t, natstest.Start(t), "matching")
	c := mongotest.DB(t).Collection("profiles")
	applied := make(chan string, 10)
	var writes int
	_, err := b.Consume(context.Background(), natsbus.Consumer{
		Name: "profiles", Stream: "PROFILES",
		Handle: func(ctx context.Context, ev events.Envelope) error {
			var p struct{ Name string }
			if err := ev.Decode(&p); err != nil {
				return err
			}
			wrote, err := mongodb.UpsertVersioned(ctx, c, ev.Subject, ev.AggregateVersion, "version",
				readModel{ID: ev.Subject, Name: p.Name, Version: ev.AggregateVersion})
			if wrote {
				writes++
			}
			applied <- ev.ID
			return err
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v1, _ := events.New("profiles", events.ProfileCreated, "a1", 1, map[string]string{"Name": "Asha"})
	v2, _ := events.New("profiles", events.ProfileUpdated, "a1", 2, map[string]string{"Name": "Asha Rao"})
	raw1, _ := v1.Marshal()
	// v2, then v2 again under another message id (so the stream keeps both
	// copies and the consumer really sees it twice), then the older v1.
	for _, m := range []struct {
		id   string
		ev   events.Envelope
		data []byte
	}{{v2.ID, v2, nil}, {"redelivery-of-" + v2.ID, v2, nil}, {v1.ID, v1, raw1}} {
		data := m.data
		if data == nil {
			data, _ = m.ev.Marshal()
		}
		if _, err := b.Publish(ctx, m.ev.Type, m.id, data, nil); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		<-applied
	}
	if writes != 1 {
		t.Errorf("read model written %d times for 3 deliveries, want 1", writes)
	}
	var got readModel
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "a1"}}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Asha Rao" || got.Version != 2 {
		t.Errorf("read model = %+v, want name Asha Rao at version 2", got)
	}
}
