package recommend

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// clock is a settable Config.Now for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)} }

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

type ranked struct {
	id  string
	pts scoring.Points
}

func (r ranked) String() string { return fmt.Sprintf("%s:%d", r.id, r.pts) }

// truth ranks every eligible candidate of every live slot by brute force,
// pair by pair, with the explained path's overlap computation (merge of
// sorted vectors) rather than the inverted indexes the recommender uses.
func truth(st *state) (forApps, forProgs map[string][]ranked) {
	forApps, forProgs = map[string][]ranked{}, map[string][]ranked{}
	for ai, aid := range st.a.ids {
		if aid == "" {
			continue
		}
		forApps[aid] = []ranked{}
		for pi, pid := range st.p.ids {
			if pid == "" {
				continue
			}
			if pts, ok := scoring.PairScore(&st.apps[ai], &st.progs[pi]); ok {
				forApps[aid] = append(forApps[aid], ranked{pid, pts})
				forProgs[pid] = append(forProgs[pid], ranked{aid, pts})
			}
		}
	}
	for pid := range st.p.slots {
		if forProgs[pid] == nil {
			forProgs[pid] = []ranked{}
		}
	}
	order := func(x, y ranked) int { return cmp.Or(cmp.Compare(y.pts, x.pts), strings.Compare(x.id, y.id)) }
	for _, rs := range forApps {
		slices.SortFunc(rs, order)
	}
	for _, rs := range forProgs {
		slices.SortFunc(rs, order)
	}
	return forApps, forProgs
}

func stored(l *lists, slot int32, ids []string) []ranked {
	var out []ranked
	for _, e := range l.at(slot) {
		out = append(out, ranked{ids[e.slot], e.pts})
	}
	return out
}

// checkLists verifies the lists' invariant against brute force: each list
// is an exact prefix of its true ranking, at least k long unless it holds
// every candidate, and when marked complete it does hold every candidate.
// (An incomplete list may happen to hold them all; it just cannot know.)
func checkLists(t *testing.T, st *state, when string) {
	t.Helper()
	forApps, forProgs := truth(st)
	check := func(kind, id string, l *lists, slot int32, ids []string, want []ranked) {
		got := stored(l, slot, ids)
		n := len(got)
		switch {
		case n > len(want) || !slices.Equal(got, want[:n]):
			t.Fatalf("%s: %s %s list = %v, want a prefix of %v", when, kind, id, got, want[:min(len(want), st.keep)])
		case n < st.k && n < len(want):
			t.Fatalf("%s: %s %s list has %d of %d candidates, want at least k=%d", when, kind, id, n, len(want), st.k)
		case l.complete[slot] && n != len(want):
			t.Fatalf("%s: %s %s list complete=%v with %d of %d candidates", when, kind, id, l.complete[slot], n, len(want))
		}
	}
	for id, slot := range st.a.slots {
		check("applicant", id, &st.a.lists, slot, st.p.ids, forApps[id])
	}
	for id, slot := range st.p.slots {
		check("program", id, &st.p.lists, slot, st.a.ids, forProgs[id])
	}
}

// topKs returns the first k entries of every list, by id: what readers see.
func topKs(st *state) map[string][]ranked {
	out := map[string][]ranked{}
	for id, slot := range st.a.slots {
		l := stored(&st.a.lists, slot, st.p.ids)
		out["applicant "+id] = l[:min(len(l), st.k)]
	}
	for id, slot := range st.p.slots {
		l := stored(&st.p.lists, slot, st.a.ids)
		out["program "+id] = l[:min(len(l), st.k)]
	}
	return out
}

// scratchBuild builds a fresh state from the same model and compiled
// features as st, the way Build does.
func scratchBuild(st *state, workers int) *state {
	fresh := newState(st.model, st.k, st.keep)
	for id, slot := range st.a.slots {
		fresh.putApplicant(id, st.apps[slot])
	}
	for id, slot := range st.p.slots {
		fresh.putProgram(id, st.progs[slot])
	}
	fresh.buildLists(workers)
	return fresh
}

func TestBuildMatchesBruteForce(t *testing.T) {
	for _, workers := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			g := newSynth(7)
			c := newClock()
			r := New(Config{K: 5, Keep: 8, Workers: workers, Now: c.now})
			must(t, r.Build(g.applicants(300), g.programs(80)))
			checkLists(t, r.st, "after Build")
		})
	}
}

// TestIncrementalEqualsScratch is the recommender's property test: after a
// random sequence of single-profile and single-program changes, every
// list's top k equals a from-scratch build (with the same IDF statistics and
// compiled features), and every stored list satisfies its invariant.
func TestIncrementalEqualsScratch(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			g := newSynth(seed)
			rng := rand.New(rand.NewPCG(seed, 99))
			c := newClock()
			// A small Keep makes lists run short often, so recomputes and
			// drop-outs from full lists are exercised.
			r := New(Config{K: 4, Keep: 6, Workers: 2, Now: c.now})
			apps, progs := g.applicants(150), g.programs(50)
			must(t, r.Build(apps, progs))
			nextApp, nextProg := len(apps), len(progs)
			appID := func() string { return fmt.Sprintf("app-%06d", rng.IntN(nextApp)) }
			progID := func() string { return fmt.Sprintf("prog-%05d", rng.IntN(nextProg)) }
			counts := map[string]int{}
			for step := range 600 {
				var op string
				switch x := rng.IntN(100); {
				case x < 20:
					op = "new applicant"
					must(t, r.UpsertApplicant(g.applicant(nextApp)))
					nextApp++
				case x < 40:
					op = "change applicant"
					a := g.applicant(nextApp) // fresh content under an old id
					a.ID = appID()
					must(t, r.UpsertApplicant(a))
				case x < 52:
					op = "remove applicant"
					r.RemoveApplicant(appID())
				case x < 64:
					op = "new program"
					must(t, r.UpsertProgram(g.program(nextProg)))
					nextProg++
				case x < 82:
					op = "change program"
					p := g.program(nextProg)
					p.ID = progID()
					must(t, r.UpsertProgram(p))
				case x < 96:
					op = "remove program"
					r.RemoveProgram(progID())
				default:
					op = "deadlines pass"
					c.advance(time.Duration(5+rng.IntN(20)) * 24 * time.Hour)
					r.CloseExpired()
				}
				counts[op]++
				if step%50 == 0 {
					checkLists(t, r.st, fmt.Sprintf("step %d (%s)", step, op))
				}
			}
			checkLists(t, r.st, "at the end")
			got, want := topKs(r.st), topKs(scratchBuild(r.st, 2))
			for key, w := range want {
				if g := got[key]; !slices.Equal(g, w) {
					t.Errorf("%s top k = %v, from scratch %v", key, g, w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("incremental state has %d lists, from scratch %d", len(got), len(want))
			}
			if r.st.recomputes == 0 {
				t.Errorf("no list was recomputed in %v; the test no longer exercises short lists", counts)
			}
			t.Logf("ops %v, lists recomputed %d", counts, r.st.recomputes)
		})
	}
}

func TestReaders(t *testing.T) {
	g := newSynth(11)
	c := newClock()
	r := New(Config{K: 5, Now: c.now})
	apps, progs := g.applicants(200), g.programs(60)
	must(t, r.Build(apps, progs))
	if na, np := r.Len(); na != 200 || np != 60 {
		t.Fatalf("Len() = %d, %d; want 200, 60", na, np)
	}

	// Every applicant with any eligible program gets up to k, best first,
	// each with the six kinds of reasons.
	served := 0
	for _, a := range apps {
		recs, ok := r.ProgramsFor(a.ID)
		if !ok {
			t.Fatalf("ProgramsFor(%s) unknown", a.ID)
		}
		if len(recs) > 5 {
			t.Fatalf("ProgramsFor(%s) returned %d, want at most k=5", a.ID, len(recs))
		}
		for i, rec := range recs {
			if i > 0 && rec.Score > recs[i-1].Score {
				t.Fatalf("ProgramsFor(%s) not ranked: %v", a.ID, recs)
			}
			if len(rec.Reasons) < 5 || !strings.HasPrefix(rec.Reasons[0].Code, "score.field") {
				t.Fatalf("ProgramsFor(%s)[%d] reasons = %v, want field, skills, text, language, dates…", a.ID, i, rec.Reasons)
			}
		}
		if len(recs) > 0 {
			served++
		}
	}
	if served < len(apps)/2 {
		t.Errorf("only %d of %d applicants got recommendations", served, len(apps))
	}

	var open scoring.Program
	for _, p := range progs {
		if recs, _ := r.CandidatesFor(p.ID); len(recs) > 0 {
			open = p
			break
		}
	}
	cands, ok := r.CandidatesFor(open.ID)
	if !ok || len(cands) == 0 {
		t.Fatalf("CandidatesFor(%s) = %v, %v; want candidates", open.ID, cands, ok)
	}

	if _, ok := r.ProgramsFor("nobody"); ok {
		t.Errorf("ProgramsFor(nobody) ok, want unknown")
	}
	if _, ok := r.CandidatesFor("nothing"); ok {
		t.Errorf("CandidatesFor(nothing) ok, want unknown")
	}

	// After its deadline a program shows no candidates, even before
	// CloseExpired, and CloseExpired then frees its places.
	closes, _ := time.Parse("2006-01-02", open.ApplicationDeadline)
	c.advance(closes.Sub(c.now()) + 48*time.Hour)
	if recs, _ := r.CandidatesFor(open.ID); len(recs) != 0 {
		t.Errorf("CandidatesFor(%s) after its deadline = %d results, want none", open.ID, len(recs))
	}
	if n := r.CloseExpired(); n == 0 {
		t.Errorf("CloseExpired() = 0, want at least %s closed", open.ID)
	}
	checkLists(t, r.st, "after CloseExpired")
	for _, a := range apps {
		recs, _ := r.ProgramsFor(a.ID)
		for _, rec := range recs {
			if rec.ID == open.ID {
				t.Fatalf("ProgramsFor(%s) still offers closed program %s", a.ID, open.ID)
			}
		}
	}

	if !r.RemoveProgram(open.ID) || r.RemoveProgram(open.ID) {
		t.Errorf("RemoveProgram(%s) twice did not report known, then unknown", open.ID)
	}
	if !r.RemoveApplicant(apps[0].ID) || r.RemoveApplicant(apps[0].ID) {
		t.Errorf("RemoveApplicant(%s) twice did not report known, then unknown", apps[0].ID)
	}
}

func TestEmptyIDs(t *testing.T) {
	r := New(Config{})
	tests := []struct {
		name string
		err  error
	}{
		{"Build", r.Build([]scoring.Applicant{{ID: "a"}, {}}, nil)},
		{"UpsertApplicant", r.UpsertApplicant(scoring.Applicant{Kind: "student"})},
		{"UpsertProgram", r.UpsertProgram(scoring.Program{Title: "x"})},
	}
	for _, tc := range tests {
		if tc.err != ErrNoID {
			t.Errorf("%s with an empty id = %v, want ErrNoID", tc.name, tc.err)
		}
	}
	if na, np := r.Len(); na != 0 || np != 0 {
		t.Errorf("Len() after rejected writes = %d, %d; want 0, 0", na, np)
	}
}

func TestRefitKeepsData(t *testing.T) {
	g := newSynth(5)
	r := New(Config{K: 3, Now: newClock().now})
	must(t, r.Build(g.applicants(100), g.programs(30)))
	must(t, r.UpsertApplicant(g.applicant(100)))
	r.RemoveProgram("prog-00003")
	r.Refit()
	if na, np := r.Len(); na != 101 || np != 29 {
		t.Errorf("Len() after Refit = %d, %d; want 101, 29", na, np)
	}
	if r.st.model.Docs() != 130 {
		t.Errorf("model after Refit has %d documents, want 130", r.st.model.Docs())
	}
	checkLists(t, r.st, "after Refit")
}

// TestConcurrentReaders runs readers against a writer; run with -race.
func TestConcurrentReaders(t *testing.T) {
	g := newSynth(3)
	r := New(Config{K: 5, Now: newClock().now})
	apps, progs := g.applicants(200), g.programs(40)
	must(t, r.Build(apps, progs))
	var wg, ready sync.WaitGroup
	stop := make(chan struct{})
	reads := 0
	var mu sync.Mutex
	for w := range 3 {
		ready.Add(1)
		wg.Go(func() {
			n := 0
			for {
				r.ProgramsFor(apps[(n*7+w)%len(apps)].ID)
				r.CandidatesFor(progs[(n+w)%len(progs)].ID)
				if n == 0 {
					ready.Done()
				}
				n++
				select {
				case <-stop:
					mu.Lock()
					reads += n
					mu.Unlock()
					return
				default:
				}
			}
		})
	}
	ready.Wait() // writes start once every reader is reading
	for i := range 60 {
		switch i % 4 {
		case 0:
			must(t, r.UpsertApplicant(g.applicant(200+i)))
		case 1:
			p := g.program(40 + i)
			p.ID = progs[i%len(progs)].ID
			must(t, r.UpsertProgram(p))
		case 2:
			r.RemoveApplicant(apps[i].ID)
		case 3:
			must(t, r.UpsertProgram(g.program(100+i)))
		}
	}
	close(stop)
	wg.Wait()
	checkLists(t, r.st, "after concurrent updates")
	if reads == 0 {
		t.Errorf("readers made no reads")
	}
}
