package mongostore

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/outbox"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	db := mongotest.DB(t)
	if err := mongodb.EnsureIndexes(context.Background(), db, Indexes()); err != nil {
		t.Fatal(err)
	}
	return New(db, outbox.Config{})
}

func published(t *testing.T, id string) *domain.Program {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	seats := 2
	p, err := domain.New(id, "h1", domain.Content{
		Title: "T", Description: "D", Kind: "exchange", HostOrg: "O", HostCountry: "JP", Region: "Tokyo",
		Fields: []string{"1.2"}, Seats: &seats, StartDate: day(60), EndDate: day(90), ApplicationDeadline: day(30),
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Publish(now); err != nil {
		t.Fatal(err)
	}
	return p
}

func event(t testing.TB, subject string, p *domain.Program) []events.Envelope {
	ev, err := events.New("programs", subject, p.ID, p.Version, map[string]any{"id": p.ID, "status": p.Status})
	if err != nil {
		t.Fatal(err)
	}
	return []events.Envelope{ev}
}

// TestConcurrentCloseStoresOneEvent has many writers close the same
// program at once, as several replicas' deadline loops may: exactly one
// write happens, with exactly one event.
func TestConcurrentCloseStoresOneEvent(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	p := published(t, "p1")
	if err := s.Insert(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	closed := 0
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			won := false
			_, err := s.Update(ctx, "p1", func(p *domain.Program) ([]events.Envelope, error) {
				won = false
				if !p.Close(domain.ClosedByDeadline, time.Now()) {
					return nil, app.ErrUnchanged
				}
				won = true
				return event(t, events.ProgramClosed, p), nil
			})
			if err != nil {
				t.Errorf("Update: %v", err)
			}
			mu.Lock()
			if won {
				closed++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	d, err := s.get(ctx, "p1", true)
	if err != nil {
		t.Fatal(err)
	}
	if closed != 1 || len(d.Outbox) != 1 || d.Version != p.Version+1 || d.Status != "closed" {
		t.Errorf("%d writers closing at once: %d wrote, outbox %d events, version %d, status %s; want 1, 1, %d, closed",
			writers, closed, len(d.Outbox), d.Version, d.Status, p.Version+1)
	}
}

// TestRelayNeverUndoesAWrite runs the relay while writers keep changing a
// program and adding events: every change survives, and every event reaches
// the stream exactly once.
func TestRelayNeverUndoesAWrite(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	bus := natstest.Bus(t, natstest.Start(t), "test")
	relay := outbox.NewRelay(outbox.Config{Publisher: bus, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Interval: time.Hour}, s.programs)
	p := published(t, "p1")
	if err := s.Insert(ctx, p, event(t, events.ProgramPublished, p)); err != nil {
		t.Fatal(err)
	}

	const writers, rounds = 3, 8
	stop := make(chan struct{})
	relayDone := make(chan struct{})
	go func() {
		defer close(relayDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := relay.Sweep(ctx); err != nil {
				t.Errorf("Sweep: %v", err)
			}
		}
	}()
	var wg sync.WaitGroup
	var want []string
	for w := range writers {
		for r := range rounds {
			want = append(want, fmt.Sprintf("r%d-%d", w, r))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				round := fmt.Sprintf("r%d-%d", w, r)
				_, err := s.Update(ctx, "p1", func(p *domain.Program) ([]events.Envelope, error) {
					if !p.Lock(round, time.Now()) {
						return nil, app.ErrUnchanged
					}
					return event(t, events.ProgramUpdated, p), nil
				})
				if err != nil {
					t.Errorf("Update: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-relayDone
	if _, err := relay.Sweep(ctx); err != nil {
		t.Fatal(err)
	}

	d, err := s.get(ctx, "p1", true)
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(d.LockedBy)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("lockedBy has %d of %d rounds; a write was undone: %v", len(got), len(want), got)
	}
	if len(d.Outbox) != 0 {
		t.Errorf("%d events left in the outbox after the last sweep", len(d.Outbox))
	}
	stream, err := bus.JS.Stream(ctx, "PROGRAMS")
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := int(info.State.Msgs); n != writers*rounds+1 {
		t.Errorf("stream holds %d events, want %d (one per change, once each)", n, writers*rounds+1)
	}
}

func TestHostFacts(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	steps := []struct {
		name string
		do   func() error
		want domain.Host
	}{
		{"unknown", func() error { return nil }, domain.Host{ID: "h"}},
		{"created pending", func() error { return s.HostCreated(ctx, "h", false) }, domain.Host{ID: "h", SignedUp: true}},
		{"verified", func() error { return s.HostVerified(ctx, "h") }, domain.Host{ID: "h", Verified: true, SignedUp: true}},
		{"verified again", func() error { return s.HostVerified(ctx, "h") }, domain.Host{ID: "h", Verified: true, SignedUp: true}},
		{"created again, late", func() error { return s.HostCreated(ctx, "h", false) }, domain.Host{ID: "h", Verified: true, SignedUp: true}},
		{"deleted", func() error { return s.HostDeleted(ctx, "h") }, domain.Host{ID: "h", Verified: true, Deleted: true, SignedUp: true}},
		{"verified after deletion", func() error { return s.HostVerified(ctx, "h") }, domain.Host{ID: "h", Verified: true, Deleted: true, SignedUp: true}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := s.Host(ctx, "h")
		if err != nil || got != st.want {
			t.Errorf("after %s: Host() = %+v, %v; want %+v", st.name, got, err, st.want)
		}
	}
	if got, _ := s.Host(ctx, "other"); got.MayDraft() || got.MayPublish() {
		t.Errorf("another host may draft or publish after h was verified")
	}
}

func TestFinishImportTwice(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	a, b := published(t, "a"), published(t, "b")
	imp := app.Import{ID: "i1", HostID: "h1", CreatedAt: time.Now().UTC(), Programs: []app.Pending{
		{Program: a, Events: event(t, events.ProgramPublished, a)}, {Program: b},
	}}
	if err := s.SaveImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	// Nothing is visible until the import is finished.
	if got, _ := s.ListByHost(ctx, "h1"); len(got) != 0 {
		t.Fatalf("before FinishImport: %d programs, want 0", len(got))
	}
	if ids, _ := s.PendingImports(ctx, time.Now().Add(time.Second)); !slices.Equal(ids, []string{"i1"}) {
		t.Errorf("PendingImports = %v, want [i1]", ids)
	}
	// A first run stores one program and stops (as if the process died).
	d := toDoc(a)
	d.Rev = 1
	if _, err := s.programs.InsertOne(ctx, d); err != nil {
		t.Fatal(err)
	}
	// The run that finishes it returns the import's programs, for the
	// search index; a later one returns none.
	for i, want := range [][]string{{"a", "b"}, nil} {
		progs, err := s.FinishImport(ctx, "i1")
		if err != nil {
			t.Fatalf("FinishImport: %v", err)
		}
		var ids []string
		for _, p := range progs {
			ids = append(ids, p.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("FinishImport run %d returned %v, want %v", i+1, ids, want)
		}
	}
	got, err := s.ListByHost(ctx, "h1")
	if err != nil || len(got) != 2 {
		t.Fatalf("after FinishImport twice: %d programs, %v; want 2", len(got), err)
	}
	if ids, _ := s.PendingImports(ctx, time.Now().Add(time.Second)); len(ids) != 0 {
		t.Errorf("PendingImports after finishing = %v, want none", ids)
	}
}
