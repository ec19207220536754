package engine_test

import (
	"math"
	"slices"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// The helpers here restate the definitions of the matching problem as plainly as possible,
// sharing nothing with the engine, so that tests compare the engine against the definitions.

// listPos is x's position in list, or len(list) when absent: an applicant prefers anything
// acceptable to being unmatched or holding a program they did not list.
func listPos(list []int, x int) int {
	if k := slices.Index(list, x); k >= 0 {
		return k
	}
	return len(list)
}

// statedRank is applicant a's rank in program p's stated order, or MaxInt when p does not
// list a.
func statedRank(in *engine.Instance, p, a int) int {
	prog := in.Programs[p]
	k := slices.Index(prog.Prefs, a)
	switch {
	case k < 0:
		return math.MaxInt
	case prog.Ranks != nil:
		return prog.Ranks[k]
	}
	return k
}

func acceptable(in *engine.Instance, a, p int) bool {
	return slices.Contains(in.Applicants[a].Prefs, p) && slices.Contains(in.Programs[p].Prefs, a)
}

func membersOf(in *engine.Instance, programOf []int) [][]int {
	members := make([][]int, len(in.Programs))
	for a, p := range programOf {
		if p != engine.Unmatched {
			members[p] = append(members[p], a)
		}
	}
	return members
}

// naiveCertificate checks a matching pair by pair, straight from the definitions.
func naiveCertificate(in *engine.Instance, programOf []int) engine.Certificate {
	var c engine.Certificate
	members := membersOf(in, programOf)
	for p, ms := range members {
		if len(ms) > in.Programs[p].Capacity {
			c.OverCapacity++
		}
		for _, a := range ms {
			if !acceptable(in, a, p) {
				c.Unacceptable++
			}
		}
	}
	for a, app := range in.Applicants {
		for p := range in.Programs {
			if !acceptable(in, a, p) || listPos(app.Prefs, p) >= listPos(app.Prefs, programOf[a]) {
				continue
			}
			blocks := len(members[p]) < in.Programs[p].Capacity
			for _, b := range members[p] {
				if statedRank(in, p, a) < statedRank(in, p, b) {
					blocks = true
				}
			}
			if blocks {
				c.BlockingPairs++
			}
		}
	}
	return c
}

// stableMatchings lists every stable matching of a small instance by trying every
// assignment of applicants to mutually acceptable programs (or none) within capacities.
// Ties count as indifference, so pass a strict instance to get the strictly stable ones.
func stableMatchings(in *engine.Instance) [][]int {
	var all [][]int
	programOf := make([]int, len(in.Applicants))
	filled := make([]int, len(in.Programs))
	var assign func(a int)
	assign = func(a int) {
		if a == len(in.Applicants) {
			if naiveCertificate(in, programOf) == (engine.Certificate{}) {
				all = append(all, slices.Clone(programOf))
			}
			return
		}
		programOf[a] = engine.Unmatched
		assign(a + 1)
		for _, p := range in.Applicants[a].Prefs {
			if filled[p] < in.Programs[p].Capacity && acceptable(in, a, p) {
				programOf[a], filled[p] = p, filled[p]+1
				assign(a + 1)
				filled[p]--
			}
		}
	}
	assign(0)
	return all
}

// ids renders a matching with ids, for readable failure messages.
func ids(in *engine.Instance, programOf []int) map[string]string {
	out := make(map[string]string, len(programOf))
	for a, p := range programOf {
		if p == engine.Unmatched {
			out[in.Applicants[a].ID] = "-"
		} else {
			out[in.Applicants[a].ID] = in.Programs[p].ID
		}
	}
	return out
}

// sortedRanks lists the strict ranks of the applicants a program holds, best first.
func sortedRanks(in *engine.Instance, p int, members []int) []int {
	r := make([]int, len(members))
	for i, a := range members {
		r[i] = statedRank(in, p, a)
	}
	slices.Sort(r)
	return r
}

func solve(t testing.TB, in *engine.Instance, side engine.Side) []int {
	t.Helper()
	m, err := engine.Solve(in, side)
	if err != nil {
		t.Fatalf("Solve(%v) error: %v", side, err)
	}
	if m.Side != side || m.Seed != in.Seed {
		t.Fatalf("Solve(%v) recorded side %v seed %d, want %v seed %d", side, m.Side, m.Seed, side, in.Seed)
	}
	return m.ProgramOf
}

// checkSolutions asserts every property the two solvers promise on in. With brute set, it
// also enumerates all stable matchings to check optimality, and returns how many there
// are; keep in small for that.
func checkSolutions(t testing.TB, in *engine.Instance, brute bool) int {
	t.Helper()
	ao := solve(t, in, engine.ApplicantOptimal)
	po := solve(t, in, engine.ProgramOptimal)
	strict := engine.BreakTies(in)

	for _, r := range []struct {
		side      engine.Side
		programOf []int
	}{{engine.ApplicantOptimal, ao}, {engine.ProgramOptimal, po}} {
		// Stable for the lottery's strict order, hence weakly stable for the stated one;
		// capacities kept; only mutually acceptable pairs.
		if got := naiveCertificate(strict, r.programOf); got != (engine.Certificate{}) {
			t.Fatalf("Solve(%v) = %v on the tie-broken instance: %v", r.side, ids(in, r.programOf), got)
		}
		if got := naiveCertificate(in, r.programOf); got != (engine.Certificate{}) {
			t.Fatalf("Solve(%v) = %v on the stated instance: %v", r.side, ids(in, r.programOf), got)
		}
		got, err := engine.Check(in, &engine.Matching{Side: r.side, Seed: in.Seed, ProgramOf: r.programOf})
		if err != nil || !got.Stable() {
			t.Fatalf("Check(Solve(%v)) = %v, %v, want stable", r.side, got, err)
		}
	}

	// Rural hospitals: the same applicants unmatched, the same number of seats filled,
	// and a program with a free seat holds the same applicants.
	aoMembers, poMembers := membersOf(in, ao), membersOf(in, po)
	for a := range ao {
		if (ao[a] == engine.Unmatched) != (po[a] == engine.Unmatched) {
			t.Fatalf("applicant %s unmatched in one result only: applicant-optimal %v, program-optimal %v",
				in.Applicants[a].ID, ids(in, ao), ids(in, po))
		}
	}
	for p := range in.Programs {
		if len(aoMembers[p]) != len(poMembers[p]) {
			t.Fatalf("program %s filled %d seats applicant-optimal, %d program-optimal",
				in.Programs[p].ID, len(aoMembers[p]), len(poMembers[p]))
		}
		if len(aoMembers[p]) < in.Programs[p].Capacity && !slices.Equal(aoMembers[p], poMembers[p]) {
			t.Fatalf("undersubscribed program %s holds %v applicant-optimal, %v program-optimal",
				in.Programs[p].ID, aoMembers[p], poMembers[p])
		}
	}

	if !brute {
		return 0
	}
	all := stableMatchings(strict)
	if !slices.ContainsFunc(all, func(m []int) bool { return slices.Equal(m, ao) }) ||
		!slices.ContainsFunc(all, func(m []int) bool { return slices.Equal(m, po) }) {
		t.Fatalf("solver results %v and %v missing from the %d stable matchings", ids(in, ao), ids(in, po), len(all))
	}
	for _, m := range all {
		for a, app := range in.Applicants {
			if listPos(app.Prefs, ao[a]) > listPos(app.Prefs, m[a]) {
				t.Fatalf("Solve(ApplicantOptimal) gives %s %v, but stable matching %v gives a better program",
					app.ID, ids(in, ao), ids(in, m))
			}
			if listPos(app.Prefs, po[a]) < listPos(app.Prefs, m[a]) {
				t.Fatalf("Solve(ProgramOptimal) gives %s %v, but stable matching %v gives a worse program (not applicant-pessimal)",
					app.ID, ids(in, po), ids(in, m))
			}
		}
		members := membersOf(strict, m)
		for p := range in.Programs {
			best, worst, got := sortedRanks(strict, p, poMembers[p]), sortedRanks(strict, p, aoMembers[p]), sortedRanks(strict, p, members[p])
			if len(got) != len(best) {
				t.Fatalf("program %s fills %d seats in stable matching %v, %d in the solvers'", in.Programs[p].ID, len(got), ids(in, m), len(best))
			}
			for i := range got {
				if best[i] > got[i] || worst[i] < got[i] {
					t.Fatalf("program %s holds ranks %v in stable matching %v: program-optimal %v, applicant-optimal %v",
						in.Programs[p].ID, got, ids(in, m), best, worst)
				}
			}
		}
	}
	return len(all)
}
