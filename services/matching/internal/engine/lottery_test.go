package engine_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// Recorded rounds are reproduced from their seed, so the lottery must never change. These
// values pin it (they were cross-checked with an independent Python rendering of the
// documented rule); if this test fails, old rounds would no longer reproduce.
func TestLotteryNumberIsPinned(t *testing.T) {
	tests := []struct {
		seed uint64
		id   string
		want uint64
	}{
		{0, "", 0x48218226ff3cd4bf},
		{0, "a1", 0x8051a642eb60b39a},
		{1, "a1", 0xc96b04f9e9ecfc75},
		{42, "0191f5a2-7c4e-7d2a-9b1e-3c5d7e9f1a2b", 0xf32b7fd4a466e227},
	}
	for _, tc := range tests {
		if got := engine.LotteryNumber(tc.seed, tc.id); got != tc.want {
			t.Errorf("LotteryNumber(%d, %q) = %#x, want %#x", tc.seed, tc.id, got, tc.want)
		}
	}
}

// tieHeavy is one program with a seat for each of a few of the many applicants who list
// it, all tied.
func tieHeavy(seed uint64) *engine.Instance {
	in := &engine.Instance{Seed: seed}
	group := []int{}
	for a := range 12 {
		in.Applicants = append(in.Applicants, engine.Applicant{ID: fmt.Sprintf("a%d", a), Prefs: []int{0}})
		group = append(group, a)
	}
	prefs, ranks := engine.FlattenTies([][]int{group})
	in.Programs = []engine.Program{{ID: "p", Capacity: 3, Prefs: prefs, Ranks: ranks}}
	return in
}

func TestSameSeedSameResult(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 200 {
		in := enginetest.Random(r, enginetest.Options{
			Applicants: 30, Programs: 6, MaxCapacity: 4, ListProb: 0.5, MutualProb: 0.9, TieProb: 0.7,
		})
		for _, side := range []engine.Side{engine.ApplicantOptimal, engine.ProgramOptimal} {
			first, err1 := engine.Solve(in, side)
			second, err2 := engine.Solve(in, side)
			if err1 != nil || err2 != nil || !reflect.DeepEqual(first, second) {
				t.Fatalf("case %d: Solve(%v) = %v then %v (errors %v, %v), want the same twice", i, side, first, second, err1, err2)
			}
		}
	}
}

func TestDifferentSeedsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(20) {
		in := tieHeavy(seed)
		seen[fmt.Sprint(solve(t, in, engine.ApplicantOptimal))] = true
	}
	if len(seen) < 10 {
		t.Errorf("20 seeds gave %d different results on a tie-heavy instance, want at least 10", len(seen))
	}
}

// The lottery must follow its documented rule: within a tie, lower LotteryNumber first.
func TestLotteryDecidesTies(t *testing.T) {
	for seed := range uint64(50) {
		in := tieHeavy(seed)
		want := slices.Clone(in.Programs[0].Prefs)
		slices.SortFunc(want, func(x, y int) int {
			return cmpU64(engine.LotteryNumber(seed, in.Applicants[x].ID), engine.LotteryNumber(seed, in.Applicants[y].ID))
		})
		if got := engine.BreakTies(in).Programs[0].Prefs; !slices.Equal(got, want) {
			t.Fatalf("BreakTies(seed %d) order = %v, want %v", seed, got, want)
		}
		got := solve(t, in, engine.ApplicantOptimal)
		for k, a := range want {
			if matched := got[a] == 0; matched != (k < 3) {
				t.Fatalf("seed %d: applicant %s at lottery place %d matched = %v", seed, in.Applicants[a].ID, k+1, matched)
			}
		}
	}
}

func cmpU64(x, y uint64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Ties are broken only within a group: the stated order between groups stands.
func TestBreakTiesKeepsGroups(t *testing.T) {
	in := build(t,
		[]string{"a1: p", "a2: p", "a3: p", "a4: p", "a5: p"},
		[]string{"p/2: a5 (a1 a2 a3) a4"})
	for seed := range uint64(30) {
		in.Seed = seed
		got := engine.BreakTies(in).Programs[0]
		if got.Ranks != nil || got.Prefs[0] != 4 || got.Prefs[4] != 3 ||
			!slices.Equal(slices.Sorted(slices.Values(got.Prefs[1:4])), []int{0, 1, 2}) {
			t.Fatalf("BreakTies(seed %d) = %v, want a5, then a1…a3 in some order, then a4", seed, got)
		}
	}
	if in.Programs[0].Ranks == nil {
		t.Errorf("BreakTies changed its input")
	}
}

// Each of four tied applicants should win the single seat about a quarter of the time.
func TestLotteryIsFair(t *testing.T) {
	in := build(t, []string{"a1: p", "a2: p", "a3: p", "b: p"}, []string{"p/1: (a1 a2 a3 b)"})
	wins := map[string]int{}
	const seeds = 4000
	for seed := range uint64(seeds) {
		in.Seed = seed
		for a, p := range solve(t, in, engine.ApplicantOptimal) {
			if p == 0 {
				wins[in.Applicants[a].ID]++
			}
		}
	}
	for id, n := range wins {
		if n < seeds*21/100 || n > seeds*29/100 {
			t.Errorf("applicant %s won %d of %d draws, want about %d", id, n, seeds, seeds/4)
		}
	}
	if len(wins) != 4 {
		t.Errorf("winners %v, want all four applicants", wins)
	}
}

// The draw depends on ids, not positions: shuffling the input, or dropping applicants as
// a re-run with fixed matches does, leaves everyone else's outcome in a tie unchanged.
func TestLotteryIgnoresInputOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 100 {
		in := enginetest.Random(r, enginetest.Options{
			Applicants: 25, Programs: 5, MaxCapacity: 4, ListProb: 0.6, MutualProb: 1, TieProb: 0.8,
		})
		perm := r.Perm(len(in.Applicants))
		shuffled := permuteApplicants(in, perm)
		want := ids(in, solve(t, in, engine.ApplicantOptimal))
		got := ids(shuffled, solve(t, shuffled, engine.ApplicantOptimal))
		if !maps.Equal(got, want) {
			t.Fatalf("case %d: Solve(shuffled) = %v, want %v", i, got, want)
		}
	}
}

// permuteApplicants moves applicant a to position perm[a], renumbering every list.
func permuteApplicants(in *engine.Instance, perm []int) *engine.Instance {
	out := &engine.Instance{Seed: in.Seed, Applicants: make([]engine.Applicant, len(in.Applicants))}
	for a, app := range in.Applicants {
		out.Applicants[perm[a]] = app
	}
	for _, p := range in.Programs {
		q := p
		q.Prefs = make([]int, len(p.Prefs))
		for k, a := range p.Prefs {
			q.Prefs[k] = perm[a]
		}
		out.Programs = append(out.Programs, q)
	}
	return out
}
