package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/csvimport"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
)

// importStore keeps imports in memory and counts the searches for
// unfinished ones, the query that reads every import on the embedded
// store. Programs are ignored (ProgramStore is embedded nil).
type importStore struct {
	ProgramStore
	mu       sync.Mutex
	pending  map[string]Import
	scans    int
	failNext bool
}

func (s *importStore) SaveImport(_ context.Context, imp Import) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending[imp.ID] = imp
	return nil
}

func (s *importStore) FinishImport(_ context.Context, id string) ([]*domain.Program, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext {
		s.failNext = false
		return nil, errors.New("store unavailable")
	}
	imp := s.pending[id]
	delete(s.pending, id)
	var progs []*domain.Program
	for _, pd := range imp.Programs {
		progs = append(progs, pd.Program)
	}
	return progs, nil
}

func (s *importStore) PendingImports(_ context.Context, before time.Time) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scans++
	var ids []string
	for id, imp := range s.pending {
		if imp.CreatedAt.Before(before) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

type verifiedHosts struct{ HostStore }

func (verifiedHosts) Host(_ context.Context, id string) (domain.Host, error) {
	return domain.Host{ID: id, Verified: true}, nil
}

// TestFinishImportsLooksOnlyWhenNeeded runs the deadline loop's import
// step as the loop does, tick after tick: it searches the store at the
// first tick (an import a stopped process left), then not while it knows
// of nothing unfinished, then on every tick from the moment a request
// could not finish its import until that import is finished, and again
// after importSweep.
func TestFinishImportsLooksOnlyWhenNeeded(t *testing.T) {
	start := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := start
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	store := &importStore{pending: map[string]Import{}}
	index := search.New(clock)
	s := New(Options{Programs: store, Hosts: verifiedHosts{}, Index: index, Clock: clock,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx := context.Background()
	content := func(title string) domain.Content {
		seats := 1
		return domain.Content{Title: title, Description: "d", Kind: "exchange", HostOrg: "o", HostCountry: "JP",
			Region: "Tokyo", Fields: []string{"1.2"}, Seats: &seats, StartDate: "2027-06-01", EndDate: "2027-08-31",
			ApplicationDeadline: "2027-03-01"}
	}
	// Imports a stopped process left: one long ago, one just before the
	// start (its request could have been under way).
	for _, l := range []struct {
		id  string
		age time.Duration
	}{{"old", time.Minute}, {"recent", 3 * time.Second}} {
		p, err := domain.New(l.id, "h1", content(l.id), start.Add(-l.age))
		if err != nil {
			t.Fatal(err)
		}
		store.pending["import-"+l.id] = Import{ID: "import-" + l.id, HostID: "h1", CreatedAt: start.Add(-l.age),
			Programs: []Pending{{Program: p}}}
	}
	indexed := func(id string) bool {
		_, ok := index.Get(id)
		return ok
	}
	// tick runs one pass of the loop and moves the clock to the next.
	tick := func(wantScans int, why string) {
		t.Helper()
		if err := s.FinishImports(ctx); err != nil {
			t.Fatalf("FinishImports: %v", err)
		}
		if store.scans != wantScans {
			t.Fatalf("%s: %d searches for unfinished imports in all, want %d", why, store.scans, wantScans)
		}
		advance(5 * time.Second)
	}

	tick(1, "start")
	if !indexed("old") || indexed("recent") {
		t.Fatalf("after the first pass: old finished %v, recent finished %v; want only the old one", indexed("old"), indexed("recent"))
	}
	tick(2, "start+5s")
	tick(3, "start+10s") // recent is 13 s old
	if !indexed("recent") {
		t.Fatal("an import left 3 s before the start is not finished 10 s later")
	}
	tick(4, "start+15s") // every import from before the start is old enough
	for range 10 {
		tick(4, "nothing unfinished")
	}

	// A request saves its import but cannot finish it.
	store.failNext = true
	progs, err := s.Import(ctx, domain.Actor{ID: "h1", Role: domain.RoleHost},
		[]csvimport.Row{{Line: 2, Content: content("Imported")}}, nil, false)
	if err != nil || len(progs) != 1 {
		t.Fatalf("Import = %d programs, %v", len(progs), err)
	}
	id := progs[0].ID
	if indexed(id) {
		t.Fatal("an unfinished import's program is in the index")
	}
	// The loop looks on every pass, finishes it once it is older than
	// importGrace (its request might still have finished it), and stops.
	tick(5, "unfinished import, 0 s old")
	tick(6, "unfinished import, 5 s old")
	tick(7, "unfinished import, 10 s old")
	if indexed(id) {
		t.Fatal("an import not older than importGrace was finished")
	}
	tick(8, "unfinished import, 15 s old")
	if !indexed(id) || len(store.pending) != 0 {
		t.Fatalf("after importGrace: in the index %v, %d imports unfinished; want it finished", indexed(id), len(store.pending))
	}
	for range 10 {
		tick(8, "nothing unfinished again")
	}
	advance(importSweep)
	tick(9, "after importSweep")
	tick(9, "after importSweep, nothing unfinished")
}
