package engine_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// policyInstance draws a small instance with reserves and regions; every other one has
// ties, and caps range from tight to slack so that every rule gets to decide.
func policyInstance(r *rand.Rand, i int) *engine.Instance {
	in := enginetest.Random(r, enginetest.Options{
		Applicants: 1 + r.IntN(10), Programs: 1 + r.IntN(5), MaxCapacity: 4,
		ListProb: 0.6, MutualProb: 0.9, TieProb: float64(i%2) * 0.4,
	})
	enginetest.AddPolicies(r, in, enginetest.PolicyOptions{
		Categories: []string{"women", "first_generation"}, CategoryProb: 0.35,
		ReserveProb: 0.6, FirstProb: 0.4,
		Regions: 1 + r.IntN(2), RegionProb: 0.7, CapFraction: 0.2 + r.Float64()*0.9, TargetProb: 0.5,
	})
	return in
}

// TestPoliciesAgreeWithReference solves thousands of random instances with reserves and
// regions and compares every match with the literal reference, and the certificate with
// the definition of stability restated in refBlocking.
func TestPoliciesAgreeWithReference(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 800
	}
	r := rand.New(rand.NewPCG(17, 5))
	matched, reverted, capped := 0, 0, 0
	codes := map[engine.ReasonCode]int{}
	for i := range n {
		in := policyInstance(r, i)
		m, err := engine.Solve(in, engine.ApplicantOptimal)
		if err != nil {
			t.Fatalf("case %d: Solve: %v", i, err)
		}
		want := refPolicyMatch(in)
		if !slices.Equal(m.ProgramOf, want) {
			t.Fatalf("case %d: Solve = %v, reference %v\ninstance %s", i, m.ProgramOf, want, describe(in))
		}
		cert, err := engine.Check(in, m)
		if err != nil || !cert.Stable() {
			t.Fatalf("case %d: Check = %v, %v; want stable\ninstance %s", i, cert, err, describe(in))
		}
		if b := refBlocking(in, m.ProgramOf); b != 0 {
			t.Fatalf("case %d: %d blocking pairs by the definition, Check found none", i, b)
		}
		reasons, err := engine.Explain(in, m)
		if err != nil {
			t.Fatalf("case %d: Explain: %v", i, err)
		}
		for a, rs := range reasons {
			if len(rs) != listPos(in.Applicants[a].Prefs, m.ProgramOf[a]) {
				t.Fatalf("case %d: %d reasons for %s, want one per program ranked above", i, len(rs), in.Applicants[a].ID)
			}
			for _, r := range rs {
				if r.Code == engine.ReasonBlocking || r.Text == "" {
					t.Fatalf("case %d: reason %+v for %s\ninstance %s", i, r, in.Applicants[a].ID, describe(in))
				}
				codes[r.Code]++
			}
		}
		for _, p := range m.ProgramOf {
			if p != engine.Unmatched {
				matched++
			}
		}
		reverted += revertedSeats(in, m.ProgramOf)
		capped += cappedRegions(in, m.ProgramOf)
	}
	// The comparison only means something if the rules bit.
	for _, code := range []engine.ReasonCode{engine.ReasonFilled, engine.ReasonRegionCap, engine.ReasonReserved} {
		if codes[code] < n/50 {
			t.Errorf("only %d reasons %q over %d instances", codes[code], code, n)
		}
	}
	if matched < n || reverted < n/20 || capped < n/10 {
		t.Errorf("over %d instances: %d matches, %d reverted reserve seats, %d regions at their cap; the generator is too tame", n, matched, reverted, capped)
	}
}

// TestPoliciesManyCategories is TestPoliciesAgreeWithReference with more than 64 reserve
// categories, where the solver and the checker cannot keep categories as bit masks and
// read applicants' category lists instead.
func TestPoliciesManyCategories(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 7))
	for i := range 400 {
		in := policyInstance(r, i)
		// A program nobody ranks, reserving one seat for each of 70 categories; some
		// applicants belong to a few of them too.
		many := engine.Program{ID: "many", Capacity: 70}
		for c := range 70 {
			many.Reserves = append(many.Reserves, engine.Reserve{Category: fmt.Sprintf("c%d", c), Seats: 1})
		}
		in.Programs = append(in.Programs, many)
		for a := range in.Applicants {
			if r.IntN(3) == 0 {
				in.Applicants[a].Categories = append(in.Applicants[a].Categories, fmt.Sprintf("c%d", r.IntN(70)))
			}
		}
		m, err := engine.Solve(in, engine.ApplicantOptimal)
		if err != nil {
			t.Fatalf("case %d: Solve: %v", i, err)
		}
		if want := refPolicyMatch(in); !slices.Equal(m.ProgramOf, want) {
			t.Fatalf("case %d: Solve = %v, reference %v\ninstance %s", i, m.ProgramOf, want, describe(in))
		}
		if cert, err := engine.Check(in, m); err != nil || !cert.Stable() {
			t.Fatalf("case %d: Check = %v, %v; want stable\ninstance %s", i, cert, err, describe(in))
		}
	}
}

// refBlocking counts pairs that block by the definition in DESIGN.md §5: an applicant
// prefers a program that lists them and whose chooser, offered what it holds plus them,
// would choose them.
func refBlocking(in *engine.Instance, programOf []int) int {
	strict := engine.BreakTies(in)
	held := membersOf(in, programOf)
	n := 0
	for a, app := range in.Applicants {
		for _, p := range app.Prefs[:listPos(app.Prefs, programOf[a])] {
			if !slices.Contains(in.Programs[p].Prefs, a) {
				continue
			}
			offers := slices.Clone(held)
			offers[p] = append(slices.Clone(held[p]), a)
			if slices.Contains(refChoose(strict, offers)[p], a) {
				n++
			}
		}
	}
	return n
}

// revertedSeats counts reserved slots that went to someone outside their category.
func revertedSeats(in *engine.Instance, programOf []int) int {
	strict := engine.BreakTies(in)
	n := 0
	for p, ms := range membersOf(in, programOf) {
		slots := refSlots(&strict.Programs[p])
		for k, a := range refPicks(strict, p, ms) {
			if slots[k] != "" && !slices.Contains(in.Applicants[a].Categories, slots[k]) {
				n++
			}
		}
	}
	return n
}

func cappedRegions(in *engine.Instance, programOf []int) int {
	members := membersOf(in, programOf)
	n := 0
	for _, reg := range in.Regions {
		held := 0
		for _, p := range reg.Programs {
			held += len(members[p])
		}
		if held == reg.Cap && len(reg.Programs) > 0 {
			n++
		}
	}
	return n
}

func describe(in *engine.Instance) string {
	s := ""
	for _, a := range in.Applicants {
		s += fmt.Sprintf("\n  %s %v %v", a.ID, a.Prefs, a.Categories)
	}
	for _, p := range in.Programs {
		t := "-"
		if p.Target != nil {
			t = fmt.Sprint(*p.Target)
		}
		s += fmt.Sprintf("\n  %s cap %d prefs %v ranks %v reserves %v %v target %s", p.ID, p.Capacity, p.Prefs, p.Ranks, p.Reserves, p.ReserveOrder, t)
	}
	for _, reg := range in.Regions {
		s += fmt.Sprintf("\n  region %s cap %d %v", reg.ID, reg.Cap, reg.Programs)
	}
	return s
}

// TestPolicyOrderIndependence starts the proposals in shuffled orders and gets the same
// matching every time.
func TestPolicyOrderIndependence(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	for i := range 500 {
		in := policyInstance(r, i)
		m, err := engine.Solve(in, engine.ApplicantOptimal)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			order := r.Perm(len(in.Applicants))
			got, err := engine.SolvePoliciesInOrder(in, order)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, m.ProgramOf) {
				t.Fatalf("case %d: proposing in order %v gives %v, in input order %v\ninstance %s", i, order, got, m.ProgramOf, describe(in))
			}
		}
	}
	// A larger market, where displacement chains are long.
	in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: 3000, Seed: 4, TieProb: 0.2})
	enginetest.AddPolicies(rand.New(rand.NewPCG(1, 1)), in, enginetest.NRMPPolicies)
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		t.Fatal(err)
	}
	got, err := engine.SolvePoliciesInOrder(in, r.Perm(len(in.Applicants)))
	if err != nil || !slices.Equal(got, m.ProgramOf) {
		t.Fatalf("NRMP-like market: a shuffled order changed the matching (err %v)", err)
	}
}

// TestChoiceRulesSubstitutable checks the two properties the results above rest on, for
// the choice rules as restated in the reference, on random sets of offers: an applicant
// chosen from a larger set is chosen from any smaller one containing them
// (substitutability), and a larger set never yields fewer chosen (size monotonicity).
func TestChoiceRulesSubstitutable(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for i := range 3000 {
		in := engine.BreakTies(policyInstance(r, i))
		nA := len(in.Applicants)
		offers := make([][]int, len(in.Programs))
		for a := range nA {
			if r.IntN(2) == 0 {
				p := r.IntN(len(in.Programs))
				offers[p] = append(offers[p], a)
			}
		}
		p := r.IntN(len(in.Programs))
		b := r.IntN(nA)
		if slices.Contains(offers[p], b) {
			continue
		}
		more := slices.Clone(offers)
		more[p] = append(slices.Clone(offers[p]), b)
		small, big := refChoose(in, offers), refChoose(in, more)
		total := func(c [][]int) int {
			n := 0
			for _, x := range c {
				n += len(x)
			}
			return n
		}
		if total(big) < total(small) {
			t.Fatalf("case %d: adding %d at %d shrank the choice from %v to %v\n%s", i, b, p, small, big, describe(in))
		}
		for q := range big {
			for _, a := range big[q] {
				if a != b || q != p {
					if !slices.Contains(small[q], a) {
						t.Fatalf("case %d: %d chosen at %d from the larger set but not the smaller\n%s", i, a, q, describe(in))
					}
				}
			}
		}
	}
}

// FuzzSolvePolicies gives a fuzz-built instance (see enginetest.FromBytes) policies drawn
// from the fuzz seed and compares the engine with the reference and the checker.
func FuzzSolvePolicies(f *testing.F) {
	f.Add([]byte{3, 3, 0, 0xff, 1, 0xff, 2, 0xff, 1, 1, 0xff, 0, 0, 1, 0xff, 0, 0, 1, 0xff, 1, 1}, uint64(1), 0.5)
	f.Add([]byte{5, 2, 0, 1, 0xff, 1, 0, 0xff, 0, 0xff, 1, 0xff, 2, 2, 0xff, 0, 1, 2, 3, 4, 0xff}, uint64(7), 0.1)
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, capFraction float64) {
		in := enginetest.FromBytes(data)
		if capFraction < 0 || capFraction > 2 || capFraction != capFraction {
			capFraction = 0.5
		}
		enginetest.AddPolicies(rand.New(rand.NewPCG(seed, 1)), in, enginetest.PolicyOptions{
			Categories: []string{"g", "h"}, CategoryProb: 0.4, ReserveProb: 0.6, FirstProb: 0.5,
			Regions: 2, RegionProb: 0.7, CapFraction: capFraction, TargetProb: 0.5,
		})
		if err := in.Validate(); err != nil {
			t.Fatalf("generated instance is invalid: %v", err)
		}
		m, err := engine.Solve(in, engine.ApplicantOptimal)
		if err != nil {
			t.Fatal(err)
		}
		if want := refPolicyMatch(in); !slices.Equal(m.ProgramOf, want) {
			t.Fatalf("Solve = %v, reference %v\ninstance %s", m.ProgramOf, want, describe(in))
		}
		if c, err := engine.Check(in, m); err != nil || !c.Stable() {
			t.Fatalf("Check = %v, %v", c, err)
		}
	})
}

// TestPolicyCheckAgreesWithDefinition compares Check with refBlocking on arbitrary
// feasible assignments of random instances with reserves and regions, most of them
// unstable: each applicant gets a program that lists them and that they list, or none,
// within capacities and region caps.
func TestPolicyCheckAgreesWithDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 4))
	unstable := 0
	for i := range 3000 {
		in := policyInstance(r, i)
		regionOf := make([]int, len(in.Programs))
		for p := range regionOf {
			regionOf[p] = -1
		}
		for k, reg := range in.Regions {
			for _, p := range reg.Programs {
				regionOf[p] = k
			}
		}
		held := make([]int, len(in.Programs))
		inRegion := make([]int, len(in.Regions))
		programOf := make([]int, len(in.Applicants))
		for a, app := range in.Applicants {
			programOf[a] = engine.Unmatched
			if len(app.Prefs) == 0 || r.IntN(4) == 0 {
				continue
			}
			p := app.Prefs[r.IntN(len(app.Prefs))]
			reg := regionOf[p]
			if !slices.Contains(in.Programs[p].Prefs, a) || held[p] >= in.Programs[p].Capacity ||
				(reg >= 0 && inRegion[reg] >= in.Regions[reg].Cap) {
				continue
			}
			programOf[a] = p
			held[p]++
			if reg >= 0 {
				inRegion[reg]++
			}
		}
		got, err := engine.Check(in, &engine.Matching{ProgramOf: programOf})
		if err != nil {
			t.Fatalf("case %d: Check: %v", i, err)
		}
		if want := refBlocking(in, programOf); got.BlockingPairs != want {
			t.Fatalf("case %d: Check(%v) found %d blocking pairs, the definition %d\ninstance %s", i, programOf, got.BlockingPairs, want, describe(in))
		}
		if got.BlockingPairs > 0 {
			unstable++
		}
	}
	if unstable < 1000 {
		t.Fatalf("only %d of 3000 assignments were unstable; the test is too tame", unstable)
	}
}
