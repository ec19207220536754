package engine_test

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// build makes an instance from lines like "r1: h1 h2" (an applicant and their list) and
// "h1/2: r3 (r5 r1) r4" (a program, its capacity, and its order; parentheses tie).
func build(t testing.TB, applicants, programs []string) *engine.Instance {
	t.Helper()
	in := &engine.Instance{}
	appIdx, progIdx := map[string]int{}, map[string]int{}
	split := func(line string) (string, []string) {
		head, list, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("build: no colon in %q", line)
		}
		return strings.TrimSpace(head), strings.Fields(list)
	}
	for _, line := range applicants {
		id, _ := split(line)
		appIdx[id] = len(in.Applicants)
		in.Applicants = append(in.Applicants, engine.Applicant{ID: id, Prefs: []int{}})
	}
	for _, line := range programs {
		head, words := split(line)
		id, c, _ := strings.Cut(head, "/")
		capacity, err := strconv.Atoi(c)
		if err != nil {
			t.Fatalf("build: capacity in %q: %v", line, err)
		}
		progIdx[id] = len(in.Programs)
		var groups [][]int
		open := false
		for _, w := range words {
			starts, ends := strings.HasPrefix(w, "("), strings.HasSuffix(w, ")")
			w = strings.Trim(w, "()")
			a, ok := appIdx[w]
			if !ok {
				t.Fatalf("build: unknown applicant %q in %q", w, line)
			}
			if open {
				groups[len(groups)-1] = append(groups[len(groups)-1], a)
			} else {
				groups = append(groups, []int{a})
			}
			open = (open || starts) && !ends
		}
		prefs, ranks := engine.FlattenTies(groups)
		in.Programs = append(in.Programs, engine.Program{ID: id, Capacity: capacity, Prefs: prefs, Ranks: ranks})
	}
	for i, line := range applicants {
		_, words := split(line)
		for _, w := range words {
			p, ok := progIdx[w]
			if !ok {
				t.Fatalf("build: unknown program %q in %q", w, line)
			}
			in.Applicants[i].Prefs = append(in.Applicants[i].Prefs, p)
		}
	}
	return in
}

// The answers below were worked out by hand, not taken from the solver.
func TestSolveKnownInstances(t *testing.T) {
	// Gale and Shapley's cyclic example: each side's first choices form a cycle, so each
	// side gets its first choices when it proposes, and the other side its last.
	cyclicA := []string{"m1: w1 w2 w3", "m2: w2 w3 w1", "m3: w3 w1 w2"}
	cyclicP := []string{"w1/1: m2 m3 m1", "w2/1: m3 m1 m2", "w3/1: m1 m2 m3"}

	// A hospitals/residents instance with a rejection chain: r4 displaces r3 at h2, r3
	// displaces r6 at h1, and r6 runs out of programs.
	hrA := []string{
		"r1: h1 h2 h3", "r2: h1 h3", "r3: h2 h1 h3",
		"r4: h1 h2", "r5: h2 h3 h1", "r6: h1",
	}
	hrP := []string{
		"h1/2: r3 r5 r1 r6 r2 r4",
		"h2/2: r1 r4 r5 r3",
		"h3/1: r2 r5 r1 r3",
	}

	tests := []struct {
		name       string
		applicants []string
		programs   []string
		side       engine.Side
		want       map[string]string // applicant → program, "-" for unmatched
	}{
		{"cyclic applicant-optimal", cyclicA, cyclicP, engine.ApplicantOptimal,
			map[string]string{"m1": "w1", "m2": "w2", "m3": "w3"}},
		{"cyclic program-optimal", cyclicA, cyclicP, engine.ProgramOptimal,
			map[string]string{"m1": "w3", "m2": "w1", "m3": "w2"}},
		{"hospitals applicant-optimal", hrA, hrP, engine.ApplicantOptimal,
			map[string]string{"r1": "h1", "r2": "h3", "r3": "h1", "r4": "h2", "r5": "h2", "r6": "-"}},
		{"hospitals program-optimal", hrA, hrP, engine.ProgramOptimal,
			map[string]string{"r1": "h2", "r2": "h3", "r3": "h1", "r4": "h2", "r5": "h1", "r6": "-"}},
		{"pairs must be mutual",
			[]string{"a1: p1 p2", "a2: p2"},
			[]string{"p1/1: a2", "p2/1: a1 a2"}, engine.ApplicantOptimal,
			map[string]string{"a1": "p2", "a2": "-"}},
		{"no seats",
			[]string{"a1: p1 p2", "a2: p1"},
			[]string{"p1/0: a1 a2", "p2/1: a2"}, engine.ApplicantOptimal,
			map[string]string{"a1": "-", "a2": "-"}},
		{"capacity beyond demand",
			[]string{"a1: p1", "a2: p1", "a3: p1"},
			[]string{"p1/10: a3 a1 a2"}, engine.ProgramOptimal,
			map[string]string{"a1": "p1", "a2": "p1", "a3": "p1"}},
		{"empty lists",
			[]string{"a1:", "a2: p1"},
			[]string{"p1/1:", "p2/1: a1"}, engine.ApplicantOptimal,
			map[string]string{"a1": "-", "a2": "-"}},
		{"nobody", nil, []string{"p1/1:"}, engine.ApplicantOptimal, map[string]string{}},
		{"no programs", []string{"a1:"}, nil, engine.ProgramOptimal, map[string]string{"a1": "-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := build(t, tc.applicants, tc.programs)
			m, err := engine.Solve(in, tc.side)
			if err != nil {
				t.Fatalf("Solve(%v) error: %v", tc.side, err)
			}
			if got := ids(in, m.ProgramOf); !maps.Equal(got, tc.want) {
				t.Errorf("Solve(%v) = %v, want %v", tc.side, got, tc.want)
			}
		})
	}
}

func TestSolveRejectsInvalid(t *testing.T) {
	in := build(t, []string{"a1: p1"}, []string{"p1/1: a1"})
	if _, err := engine.Solve(in, engine.Side(7)); err == nil {
		t.Errorf("Solve(Side(7)) error = nil, want an error")
	}
	in.Programs[0].Capacity = -1
	if _, err := engine.Solve(in, engine.ApplicantOptimal); !errors.Is(err, engine.ErrInvalidInstance) {
		t.Errorf("Solve(negative capacity) error = %v, want ErrInvalidInstance", err)
	}
}

func TestValidate(t *testing.T) {
	valid := func() *engine.Instance {
		return &engine.Instance{
			Applicants: []engine.Applicant{{ID: "a1", Prefs: []int{0, 1}}, {ID: "a2", Prefs: []int{1}}},
			Programs: []engine.Program{
				{ID: "p1", Capacity: 1, Prefs: []int{0, 1}, Ranks: []int{4, 4}},
				{ID: "p2", Capacity: 0, Prefs: []int{1}},
			},
			Notes: []engine.Note{{Applicant: 1, Program: 0, Text: "not eligible"}},
		}
	}
	tests := []struct {
		name   string
		change func(*engine.Instance)
		field  string // "" means valid
	}{
		{"valid", func(*engine.Instance) {}, ""},
		{"empty applicant id", func(in *engine.Instance) { in.Applicants[1].ID = "" }, "applicants[1].id"},
		{"duplicate applicant id", func(in *engine.Instance) { in.Applicants[1].ID = "a1" }, "applicants[1].id"},
		{"empty program id", func(in *engine.Instance) { in.Programs[0].ID = "" }, "programs[0].id"},
		{"duplicate program id", func(in *engine.Instance) { in.Programs[1].ID = "p1" }, "programs[1].id"},
		{"same id on both sides is fine", func(in *engine.Instance) { in.Programs[1].ID = "a1" }, ""},
		{"negative capacity", func(in *engine.Instance) { in.Programs[1].Capacity = -1 }, "programs[1].capacity"},
		{"program out of range", func(in *engine.Instance) { in.Applicants[0].Prefs[1] = 2 }, "applicants[0].prefs[1]"},
		{"negative program", func(in *engine.Instance) { in.Applicants[0].Prefs[0] = -1 }, "applicants[0].prefs[0]"},
		{"program twice", func(in *engine.Instance) { in.Applicants[0].Prefs[1] = 0 }, "applicants[0].prefs[1]"},
		{"applicant out of range", func(in *engine.Instance) { in.Programs[1].Prefs[0] = 5 }, "programs[1].prefs[0]"},
		{"applicant twice", func(in *engine.Instance) { in.Programs[0].Prefs[1] = 0 }, "programs[0].prefs[1]"},
		{"ranks length", func(in *engine.Instance) { in.Programs[0].Ranks = []int{1} }, "programs[0].ranks"},
		{"ranks decrease", func(in *engine.Instance) { in.Programs[0].Ranks = []int{2, 1} }, "programs[0].ranks[1]"},
		{"note applicant out of range", func(in *engine.Instance) { in.Notes[0].Applicant = 2 }, "notes[0]"},
		{"note program out of range", func(in *engine.Instance) { in.Notes[0].Program = -1 }, "notes[0]"},
		{"second note for a pair", func(in *engine.Instance) { in.Notes = append(in.Notes, in.Notes[0]) }, "notes[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.change(in)
			err := in.Validate()
			var verr *engine.ValidationError
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tc.field != "" && (!errors.As(err, &verr) || verr.Field != tc.field):
				t.Errorf("Validate() = %v, want a *ValidationError for %s", err, tc.field)
			case tc.field != "" && !errors.Is(err, engine.ErrInvalidInstance):
				t.Errorf("Validate() = %v, want it to match ErrInvalidInstance", err)
			}
		})
	}
}

func TestFlattenTies(t *testing.T) {
	tests := []struct {
		groups     [][]int
		prefs, rks []int
	}{
		{nil, []int{}, nil},
		{[][]int{{3}, {1}, {2}}, []int{3, 1, 2}, nil},
		{[][]int{{0}, {2, 3}, {1}}, []int{0, 2, 3, 1}, []int{0, 1, 1, 2}},
		{[][]int{{}, {4, 5}}, []int{4, 5}, []int{1, 1}},
	}
	for _, tc := range tests {
		prefs, ranks := engine.FlattenTies(tc.groups)
		if !slices.Equal(prefs, tc.prefs) || !slices.Equal(ranks, tc.rks) || (ranks == nil) != (tc.rks == nil) {
			t.Errorf("FlattenTies(%v) = %v, %v, want %v, %v", tc.groups, prefs, ranks, tc.prefs, tc.rks)
		}
	}
}
