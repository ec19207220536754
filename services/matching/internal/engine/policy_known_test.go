package engine_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

func intp(n int) *int { return &n }

// matchIDs solves in and returns "applicant:program" for every applicant ("-" unmatched).
func matchIDs(t *testing.T, in *engine.Instance) ([]string, *engine.Matching) {
	t.Helper()
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := engine.Check(in, m); err != nil || !c.Stable() {
		t.Fatalf("Check = %v, %v", c, err)
	}
	var out []string
	for a, p := range m.ProgramOf {
		name := "-"
		if p != engine.Unmatched {
			name = in.Programs[p].ID
		}
		out = append(out, in.Applicants[a].ID+":"+name)
	}
	return out, m
}

// The JRMP's remedy before 2015 was to cut each hospital's capacity to its target so
// that the region's cap could never be exceeded; Kamada and Kojima showed this wastes
// seats that flexible deferred acceptance fills. Two doctors want only h1 in Tohoku (cap
// 2, two hospitals with target 1 each).
func TestRegionFlexibleFillsWhatCutCapsWaste(t *testing.T) {
	base := func() *engine.Instance {
		return &engine.Instance{
			Applicants: []engine.Applicant{{ID: "d1", Prefs: []int{0}}, {ID: "d2", Prefs: []int{0}}, {ID: "d3", Prefs: []int{0, 1}}},
			Programs: []engine.Program{
				{ID: "h1", Capacity: 2, Prefs: []int{0, 1, 2}, Target: intp(1)},
				{ID: "h2", Capacity: 2, Prefs: []int{2}, Target: intp(1)},
			},
		}
	}
	cut := base()
	cut.Programs[0].Capacity, cut.Programs[1].Capacity = 1, 1
	cutGot, _ := matchIDs(t, cut)
	if want := []string{"d1:h1", "d2:-", "d3:h2"}; !slices.Equal(cutGot, want) {
		t.Fatalf("capacities cut to targets: %v, want %v", cutGot, want)
	}

	flex := base()
	flex.Regions = []engine.Region{{ID: "Tohoku", Cap: 2, Programs: []int{0, 1}}}
	got, m := matchIDs(t, flex)
	// h1 fills its target with d1, then the round-robin gives the region's second seat to
	// h1 (h2 has no proposer yet); d3 then reaches h2, whose target seat is guaranteed, so
	// h1 gives back its round-robin seat: d2 loses it and the region is at its cap.
	if want := []string{"d1:h1", "d2:-", "d3:h2"}; !slices.Equal(got, want) {
		t.Fatalf("flexible: %v, want %v", got, want)
	}
	reasons, err := engine.Explain(flex, m)
	if err != nil {
		t.Fatal(err)
	}
	if r := reasons[1][0]; r.Code != engine.ReasonRegionCap || r.Text != "region Tohoku reached its cap of 2; h1 could not take another applicant" {
		t.Errorf("d2's reason = %+v", r)
	}

	// Without d3 the cut capacities leave a seat of the region empty; flexible DA fills it.
	for _, in := range []*engine.Instance{cut, flex} {
		in.Applicants = in.Applicants[:2]
		in.Programs[0].Prefs, in.Programs[1].Prefs = []int{0, 1}, nil
	}
	if got, _ := matchIDs(t, cut); !slices.Equal(got, []string{"d1:h1", "d2:-"}) {
		t.Fatalf("cut capacities without d3: %v", got)
	}
	if got, _ := matchIDs(t, flex); !slices.Equal(got, []string{"d1:h1", "d2:h1"}) {
		t.Fatalf("flexible without d3: %v, want both at h1", got)
	}
}

// A seat reserved for a category nobody applying has reverts to the best of the rest.
func TestReserveReverts(t *testing.T) {
	in := &engine.Instance{
		Applicants: []engine.Applicant{{ID: "a1", Prefs: []int{0}}, {ID: "a2", Prefs: []int{0}}, {ID: "a3", Prefs: []int{0}, Categories: []string{"rural"}}},
		Programs: []engine.Program{{ID: "p", Capacity: 2, Prefs: []int{0, 1, 2},
			Reserves: []engine.Reserve{{Category: "women", Seats: 1}}}},
	}
	got, m := matchIDs(t, in)
	if want := []string{"a1:p", "a2:p", "a3:-"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	progs, _, err := engine.ExplainPolicies(in, m)
	if err != nil {
		t.Fatal(err)
	}
	if want := []engine.ReserveUse{{Category: "women", Seats: 1, ToCategory: 0, Reverted: 1}}; len(progs) != 1 || !slices.Equal(progs[0].Reserves, want) {
		t.Fatalf("ExplainPolicies = %+v, want %+v", progs, want)
	}
	reasons, _ := engine.Explain(in, m)
	if r := reasons[2][0]; r.Code != engine.ReasonFilled || r.Text != "p: open seats filled with applicants ranked higher; you were ranked 3" {
		t.Errorf("a3's reason = %+v", r)
	}
}

// Where the reserved seat sits in the sequence changes who gets it: a1 (in category g)
// ranks first, then a2, then a3 (in g). Filled last, the open seat takes a1 and the
// reserved seat a3; filled first, the reserved seat takes a1 and the open seat a2.
func TestReserveOrderMatters(t *testing.T) {
	in := &engine.Instance{
		Applicants: []engine.Applicant{
			{ID: "a1", Prefs: []int{0}, Categories: []string{"first_generation"}},
			{ID: "a2", Prefs: []int{0}},
			{ID: "a3", Prefs: []int{0}, Categories: []string{"first_generation"}},
		},
		Programs: []engine.Program{{ID: "p", Capacity: 2, Prefs: []int{0, 1, 2},
			Reserves: []engine.Reserve{{Category: "first_generation", Seats: 1}}}},
	}
	last, m := matchIDs(t, in)
	if want := []string{"a1:p", "a2:-", "a3:p"}; !slices.Equal(last, want) {
		t.Fatalf("reserves last: %v, want %v", last, want)
	}
	reasons, _ := engine.Explain(in, m)
	if r := reasons[1][0]; r.Code != engine.ReasonReserved || r.Category != "first_generation" || r.ReservedSeats != 1 ||
		r.Text != "the 1 seat of p reserved for first_generation went to applicants in that category; you are not in it" {
		t.Errorf("a2's reason = %+v", r)
	}

	in.Programs[0].ReserveOrder = engine.ReservesFirst
	first, m := matchIDs(t, in)
	if want := []string{"a1:p", "a2:p", "a3:-"}; !slices.Equal(first, want) {
		t.Fatalf("reserves first: %v, want %v", first, want)
	}
	reasons, _ = engine.Explain(in, m)
	if r := reasons[2][0]; r.Code != engine.ReasonFilled ||
		r.Text != "p: open seats filled with applicants ranked higher; the 1 seat reserved for first_generation went to applicants the program ranked higher; you were ranked 3" {
		t.Errorf("a3's reason = %+v", r)
	}
	progs, _, _ := engine.ExplainPolicies(in, m)
	if want := []engine.ReserveUse{{Category: "first_generation", Seats: 1, ToCategory: 1}}; !slices.Equal(progs[0].Reserves, want) {
		t.Errorf("ExplainPolicies = %+v, want %+v", progs[0].Reserves, want)
	}
}

// Bad policies are refused, naming the item; none of them can be solved.
func TestPolicyValidation(t *testing.T) {
	good := func() *engine.Instance {
		return &engine.Instance{
			Applicants: []engine.Applicant{{ID: "a", Prefs: []int{0}}},
			Programs:   []engine.Program{{ID: "p", Capacity: 3, Prefs: []int{0}}, {ID: "q", Capacity: 2}},
			Regions:    []engine.Region{{ID: "Tohoku", Cap: 5, Programs: []int{0, 1}}},
		}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("good instance: %v", err)
	}
	for _, tc := range []struct {
		name  string
		spoil func(in *engine.Instance)
		want  string
	}{
		{"targets over cap", func(in *engine.Instance) { in.Regions[0].Cap = 4 }, `regions[0]: targets of region "Tohoku" add up to 5, more than its cap of 4`},
		{"reserves over capacity", func(in *engine.Instance) {
			in.Programs[1].Reserves = []engine.Reserve{{Category: "x", Seats: 2}, {Category: "y", Seats: 1}}
		}, `programs[1].reserves: program "q" reserves 3 or more seats but has a capacity of 2`},
		{"negative target", func(in *engine.Instance) { in.Programs[0].Target = intp(-1) }, `programs[0].target: negative target -1`},
		{"negative cap", func(in *engine.Instance) { in.Regions[0].Cap = -1 }, `regions[0].cap: region "Tohoku" has negative cap -1`},
		{"negative seats", func(in *engine.Instance) { in.Programs[0].Reserves = []engine.Reserve{{Category: "x", Seats: -2}} }, `programs[0].reserves[0]: negative seats -2`},
		{"unknown program", func(in *engine.Instance) { in.Regions[0].Programs = []int{0, 7} }, `regions[0].programs[1]: program index 7 out of range`},
		{"two regions", func(in *engine.Instance) {
			in.Regions = append(in.Regions, engine.Region{ID: "Kanto", Cap: 9, Programs: []int{1}})
		}, `regions[1].programs[0]: program "q" is already in region "Tohoku"; a program belongs to at most one region`},
		{"duplicate region", func(in *engine.Instance) { in.Regions = append(in.Regions, engine.Region{ID: "Tohoku", Cap: 1}) }, `regions[1].id: duplicate region id "Tohoku"`},
		{"unknown order", func(in *engine.Instance) { in.Programs[0].ReserveOrder = 5 }, `programs[0].reserveOrder: unknown order 5`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good()
			tc.spoil(in)
			err := in.Validate()
			if !errors.Is(err, engine.ErrInvalidInstance) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
			if _, err := engine.Solve(in, engine.ApplicantOptimal); !errors.Is(err, engine.ErrInvalidInstance) {
				t.Errorf("Solve error = %v, want invalid instance", err)
			}
		})
	}
	if _, err := engine.Solve(good(), engine.ProgramOptimal); !errors.Is(err, engine.ErrInvalidInstance) {
		t.Errorf("program-optimal with policies: error = %v, want invalid instance", err)
	}
}
