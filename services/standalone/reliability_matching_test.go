package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsbus"
)

// The matching service's read model of profiles and its consumer.
const (
	matchingProfiles = "profiles"
	matchingConsumer = "matching-profiles"
)

// createProfiles posts n profiles through the gateway with 8 writers and
// returns the users whose creation was acknowledged. during, when not nil,
// is called (once each) as the k-th request of at is about to be sent.
func createProfiles(t *testing.T, s *split, prefix string, n int, at map[int]func()) map[string]bool {
	t.Helper()
	client := &http.Client{Timeout: 20 * time.Second}
	var mu sync.Mutex
	acked := map[string]bool{}
	var failures []string
	next := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				user := fmt.Sprintf("%s-%05d", prefix, i)
				st, body, err := call(client, "POST", s.url("gateway")+"/api/v1/profiles", s.token(user, "applicant"), profileBody(i))
				mu.Lock()
				if st == http.StatusCreated {
					acked[user] = true
				} else {
					failures = append(failures, fmt.Sprintf("%s: %d %s %v", user, st, body, err))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		if f := at[i]; f != nil {
			f()
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if len(failures) > 0 {
		t.Errorf("%d of %d creations failed (matching being down must not fail them): %v", len(failures), n, failures[:min(len(failures), 5)])
	}
	return acked
}

// readModelCount counts the live profiles of the matching read model whose
// id starts with prefix, and how many of them are not at version 1.
func readModelCount(t *testing.T, s *split, prefix string) (live, notV1 int64) {
	t.Helper()
	ctx := context.Background()
	c := s.mongo(ctx).Database("matching").Collection(matchingProfiles)
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^" + prefix + "-"}}}, {Key: "erased", Value: bson.D{{Key: "$ne", Value: true}}}}
	live, err := c.CountDocuments(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	notV1, err = c.CountDocuments(ctx, append(filter, bson.E{Key: "version", Value: bson.D{{Key: "$ne", Value: 1}}}))
	if err != nil {
		t.Fatal(err)
	}
	return live, notV1
}

// waitReadModel waits until the read model holds want live profiles with
// the prefix (the profiles relay may still be publishing when the writes
// end; lag 0 alone only says the consumer is level with the stream so far).
func waitReadModel(t *testing.T, s *split, prefix string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		live, _ := readModelCount(t, s, prefix)
		if int(live) >= want || time.Now().After(deadline) {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func waitLagZero(t *testing.T, b *natsbus.Bus, stream, durable string, within time.Duration) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(within)
	for {
		c, err := b.JS.Consumer(ctx, stream, durable)
		if err == nil {
			if info, err := c.Info(ctx); err == nil && info.NumPending == 0 && info.NumAckPending == 0 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer %s lag did not return to 0 within %s", durable, within)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestReliabilityMatchingKilled creates profiles through the API while the
// matching process is killed with SIGKILL and restarted; afterwards the
// matching read model holds every profile exactly once and the consumer has
// caught up.
func TestReliabilityMatchingKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the split platform")
	}
	n, kills := size(1000, 10000), size(1, 3)
	s := startSplit(t)
	at := map[int]func(){}
	for k := 1; k <= kills; k++ {
		at[n*k/(kills+1)] = func() {
			s.kill("matching")
			s.start("matching")
		}
	}
	acked := createProfiles(t, s, "mk", n, at)
	s.waitReady("matching", 30*time.Second)
	b := s.bus(context.Background())
	waitReadModel(t, s, "mk", len(acked), 5*time.Minute)
	waitLagZero(t, b, "PROFILES", matchingConsumer, time.Minute)

	live, notV1 := readModelCount(t, s, "mk")
	lost := len(acked) - int(live)
	record(faultRow{Case: "1 matching SIGKILL during creations", Injected: fmt.Sprintf("%d kills of matching", kills),
		Sent: len(acked), Applied: int(live), Dup: int(notV1), Lost: max(lost, 0),
		Note: "read model entries at version 1, lag 0"})
	if int(live) != len(acked) || notV1 != 0 || len(acked) != n {
		t.Errorf("%d creations acknowledged of %d; read model holds %d (%d not at version 1)", len(acked), n, live, notV1)
	}
}

// TestReliabilityPoisonEvents injects about 1 % malformed or unprocessable
// profile events among real ones: each lands on DEADLETTER with its reason,
// every real one is applied, and the consumer catches up.
func TestReliabilityPoisonEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the split platform")
	}
	n := size(1000, 5000)
	s := startSplit(t)
	ctx := context.Background()
	b := s.bus(ctx)
	bad := n / 100
	var injected sync.WaitGroup
	at := map[int]func(){}
	for k := range bad {
		at[(k*n)/bad] = func() {
			injected.Add(1)
			defer injected.Done()
			id := fmt.Sprintf("poison-%03d", k)
			var data []byte
			if k%2 == 0 {
				data = []byte(`{"specversion":"1.0","id":"` + id + `", this is not json`)
			} else {
				// A well-formed envelope whose payload cannot be a profile.
				ev, err := events.New("profiles", events.ProfileCreated, id, 1, map[string]any{"id": id, "languages": "fluent in everything", "birthYear": "long ago"})
				if err != nil {
					t.Fatal(err)
				}
				ev.ID = id
				data, _ = ev.Marshal()
			}
			if _, err := b.Publish(ctx, events.ProfileCreated, id, data, nil); err != nil {
				t.Error(err)
			}
		}
	}
	acked := createProfiles(t, s, "pz", n, at)
	injected.Wait()
	waitReadModel(t, s, "pz", len(acked), 5*time.Minute)
	waitLagZero(t, b, "PROFILES", matchingConsumer, time.Minute)

	// Dead letters of the matching consumer, by original message.
	dl, err := b.JS.Stream(ctx, "DEADLETTER")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := dl.Info(ctx)
	withReason := 0
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := dl.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		if m.Header.Get(natsbus.HeaderConsumer) == matchingConsumer && m.Header.Get(natsbus.HeaderReason) != "" {
			withReason++
		}
	}
	live, notV1 := readModelCount(t, s, "pz")
	record(faultRow{Case: "4 poison events", Injected: fmt.Sprintf("%d malformed/unprocessable of %d", bad, bad+n),
		Sent: len(acked), Applied: int(live), Dup: int(notV1), Lost: max(len(acked)-int(live), 0),
		Note: fmt.Sprintf("%d dead-lettered with a reason by %s; lag 0", withReason, matchingConsumer)})
	if withReason != bad {
		t.Errorf("%d dead letters with a reason from %s, want %d", withReason, matchingConsumer, bad)
	}
	if int(live) != len(acked) || len(acked) != n || notV1 != 0 {
		t.Errorf("%d real creations acknowledged of %d; read model holds %d (%d not at version 1)", len(acked), n, live, notV1)
	}
}
