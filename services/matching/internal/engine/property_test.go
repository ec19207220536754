package engine_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// TestRandomSmallInstances checks both solvers against every stable matching, found by
// brute force, on thousands of random instances of up to 7 applicants and 4 programs.
func TestRandomSmallInstances(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	r := rand.New(rand.NewPCG(1, 2))
	several := 0
	for i := range n {
		in := smallInstance(r, i)
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			if checkSolutions(t, in, true) > 1 {
				several++
			}
		})
	}
	// The optimality checks only bite where there is a choice of stable matchings.
	if several < n/10 {
		t.Errorf("only %d of %d instances had more than one stable matching, want at least %d", several, n, n/10)
	}
}

// smallInstance draws an instance of up to 7 applicants and 4 programs with capacities
// 0…5 and incomplete lists; every third has ties. Random markets mostly have a single
// stable matching, which would make the optimality checks vacuous, so every other instance
// is a contested one: complete lists, one or two seats per program and as many applicants
// as seats, where several stable matchings are common.
func smallInstance(r *rand.Rand, i int) *engine.Instance {
	o := enginetest.Options{
		Programs:   1 + r.IntN(4),
		ListProb:   0.3 + 0.7*r.Float64(),
		MutualProb: 0.5 + 0.5*r.Float64(),
	}
	contested := i%2 == 1
	if contested {
		o.Programs = 3 + r.IntN(2)
		o.ListProb, o.MutualProb = 1, 1
	}
	o.Capacities = make([]int, o.Programs)
	seats := 0
	for p := range o.Capacities {
		o.Capacities[p] = r.IntN(6)
		if contested {
			o.Capacities[p] = 1 + r.IntN(4)/3
		}
		seats += o.Capacities[p]
	}
	o.Applicants = 1 + r.IntN(7)
	if contested {
		o.Applicants = min(7, seats)
	}
	if i%3 == 0 {
		o.TieProb = 0.4
	}
	return enginetest.Random(r, o)
}

// TestRandomLargerInstances checks stability, capacities, acceptability and the rural
// hospitals theorem on instances too large to enumerate.
func TestRandomLargerInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		o := enginetest.Options{
			Applicants:  10 + r.IntN(120),
			Programs:    2 + r.IntN(30),
			MaxCapacity: 1 + r.IntN(5),
			ListProb:    0.05 + 0.5*r.Float64(),
		}
		if i%2 == 0 {
			o.TieProb = 0.5
		}
		in := enginetest.Random(r, o)
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			checkSolutions(t, in, false)
		})
	}
}

// TestCheckAgreesWithDefinition compares Check with the pair-by-pair definition on
// arbitrary assignments, most of them unstable, some over capacity or unacceptable.
func TestCheckAgreesWithDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var seen engine.Certificate // how many assignments had each kind of problem
	for i := range 2000 {
		in := enginetest.Random(r, enginetest.Options{
			Applicants:  1 + r.IntN(12),
			Programs:    1 + r.IntN(6),
			MaxCapacity: r.IntN(4),
			ListProb:    0.6,
			MutualProb:  0.8,
			TieProb:     0.3,
		})
		programOf := make([]int, len(in.Applicants))
		for a := range programOf {
			programOf[a] = r.IntN(len(in.Programs)+1) - 1
		}
		want := naiveCertificate(in, programOf)
		got, err := engine.Check(in, &engine.Matching{ProgramOf: programOf})
		if err != nil || got != want {
			t.Fatalf("case %d: Check(%v) = %+v, %v, want %+v", i, ids(in, programOf), got, err, want)
		}
		seen.BlockingPairs += min(want.BlockingPairs, 1)
		seen.OverCapacity += min(want.OverCapacity, 1)
		seen.Unacceptable += min(want.Unacceptable, 1)
	}
	// Guard against a generator that never produces the cases this test is about.
	if seen.BlockingPairs < 200 || seen.OverCapacity < 200 || seen.Unacceptable < 200 {
		t.Fatalf("assignments with each kind of problem: %+v, want at least 200 of each", seen)
	}
}

func TestCheckRejectsMismatchedMatching(t *testing.T) {
	in := &engine.Instance{
		Applicants: []engine.Applicant{{ID: "a1", Prefs: []int{0}}},
		Programs:   []engine.Program{{ID: "p1", Capacity: 1, Prefs: []int{0}}},
	}
	for _, tc := range []struct {
		name string
		m    *engine.Matching
	}{
		{"nil", nil},
		{"too short", &engine.Matching{ProgramOf: []int{}}},
		{"program out of range", &engine.Matching{ProgramOf: []int{1}}},
		{"negative program", &engine.Matching{ProgramOf: []int{-2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := engine.Check(in, tc.m); err == nil {
				t.Errorf("Check(%v) error = nil, want ErrMismatch", tc.m)
			}
		})
	}
}

// TestSolveAndCheckAgrees runs SolveAndCheck, which prepares the checker while the solver
// runs, beside Solve and Check one after the other: the same matching, certificate and
// errors, with and without policies, and on instances the checker has to reject.
func TestSolveAndCheckAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 11))
	for i := range 600 {
		var in *engine.Instance
		side := engine.ApplicantOptimal
		switch i % 3 {
		case 0:
			in = smallInstance(r, i)
		case 1:
			in = smallInstance(r, i)
			side = engine.ProgramOptimal
		case 2:
			in = policyInstance(r, i)
		}
		if i%10 == 9 && len(in.Programs) > 0 {
			in.Programs[0].Capacity = -1 // invalid: both must say so, alike
		}
		m, err := engine.Solve(in, side)
		var cert engine.Certificate
		if err == nil {
			cert, err = engine.Check(in, m)
		}
		m2, cert2, err2 := engine.SolveAndCheck(in, side)
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("case %d: SolveAndCheck error %v, Solve and Check %v", i, err2, err)
		}
		if err != nil {
			continue
		}
		if fmt.Sprint(m2) != fmt.Sprint(m) || cert2 != cert || !cert.Stable() {
			t.Fatalf("case %d: SolveAndCheck = %v, %v; Solve and Check %v, %v", i, m2, cert2, m, cert)
		}
	}
}
