package engine_test

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// explained renders Explain's result for one applicant without the program index, which
// the tests spell with ids instead.
type explained struct {
	Program string
	engine.Reason
}

func explainByID(t *testing.T, in *engine.Instance, m *engine.Matching) map[string][]explained {
	t.Helper()
	reasons, err := engine.Explain(in, m)
	if err != nil {
		t.Fatalf("Explain() error: %v", err)
	}
	out := map[string][]explained{}
	for a, rs := range reasons {
		for _, r := range rs {
			out[in.Applicants[a].ID] = append(out[in.Applicants[a].ID], explained{in.Programs[r.Program].ID, r})
		}
	}
	return out
}

func filled(prog string, idx, capacity, last, you int, text string) explained {
	return explained{prog, engine.Reason{Program: idx, Code: engine.ReasonFilled, Capacity: capacity,
		LastAdmittedRank: last, YourRank: you, Text: text}}
}

func TestExplainHospitals(t *testing.T) {
	in := build(t,
		[]string{"r1: h1 h2 h3", "r2: h1 h3", "r3: h2 h1 h3", "r4: h1 h2", "r5: h2 h3 h1", "r6: h1"},
		[]string{"h1/2: r3 r5 r1 r6 r2 r4", "h2/2: r1 r4 r5 r3", "h3/1: r2 r5 r1 r3"})
	tests := []struct {
		side engine.Side
		want map[string][]explained
	}{
		// h1 admits r1 (its 3rd) and r3 (1st); h2 admits r4 (2nd) and r5 (3rd).
		{engine.ApplicantOptimal, map[string][]explained{
			"r2": {filled("h1", 0, 2, 3, 5, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 3, you 5")},
			"r3": {filled("h2", 1, 2, 3, 4, "h2 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 3, you 4")},
			"r4": {filled("h1", 0, 2, 3, 6, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 3, you 6")},
			"r6": {filled("h1", 0, 2, 3, 4, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 3, you 4")},
		}},
		// h1 admits r3 and r5 (its top two); h2 admits r1 and r4 (top two); h3 admits r2.
		{engine.ProgramOptimal, map[string][]explained{
			"r1": {filled("h1", 0, 2, 2, 3, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 3")},
			"r2": {filled("h1", 0, 2, 2, 5, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 5")},
			"r3": {filled("h2", 1, 2, 2, 4, "h2 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 4")},
			"r4": {filled("h1", 0, 2, 2, 6, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 6")},
			"r5": {
				filled("h2", 1, 2, 2, 3, "h2 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 3"),
				filled("h3", 2, 1, 1, 2, "h3 filled its 1 seat with applicants it ranked higher; its last admitted was ranked 1, you 2"),
			},
			"r6": {filled("h1", 0, 2, 2, 4, "h1 filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 4")},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.side.String(), func(t *testing.T) {
			m, err := engine.Solve(in, tc.side)
			if err != nil {
				t.Fatal(err)
			}
			if got := explainByID(t, in, m); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Explain(Solve(%v)) = %+v, want %+v", tc.side, got, tc.want)
			}
		})
	}
}

func TestExplainEachCode(t *testing.T) {
	in := build(t,
		[]string{"a1: p1 p2 p3 p4 p5", "a2: p4"},
		[]string{"p1/0: a1", "p2/1: a2", "p3/1: a2", "p4/1: a2 a1", "p5/1: a1"})
	in.Notes = []engine.Note{
		{Applicant: 0, Program: 1, Text: "not eligible: requires JLPT N3"},
		{Applicant: 0, Program: 3, Text: "ignored: the pair is acceptable"},
	}
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]explained{"a1": {
		{"p1", engine.Reason{Program: 0, Code: engine.ReasonNoSeats, YourRank: 1, Capacity: 0, Text: "p1 has no seats"}},
		{"p2", engine.Reason{Program: 1, Code: engine.ReasonExcluded, Capacity: 1, LastAdmittedRank: 0,
			Note: "not eligible: requires JLPT N3", Text: "not eligible: requires JLPT N3"}},
		{"p3", engine.Reason{Program: 2, Code: engine.ReasonNotOnList, Capacity: 1, Text: "you were not on p3's list"}},
		filled("p4", 3, 1, 1, 2, "p4 filled its 1 seat with applicants it ranked higher; its last admitted was ranked 1, you 2"),
	}}
	if got := explainByID(t, in, m); !reflect.DeepEqual(got, want) {
		t.Errorf("Explain() = %+v, want %+v", got, want)
	}
}

func TestExplainTie(t *testing.T) {
	in := build(t, []string{"a1: p", "a2: p", "a3: p"}, []string{"p/1: a3 (a1 a2)"})
	in.Programs[0].Capacity = 2
	in.Seed = 11
	winner, loser := "a1", "a2"
	if engine.LotteryNumber(in.Seed, "a2") < engine.LotteryNumber(in.Seed, "a1") {
		winner, loser = loser, winner
	}
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]explained{loser: {{"p", engine.Reason{
		Code: engine.ReasonFilled, Capacity: 2, LastAdmittedRank: 2, YourRank: 3, Tied: true,
		Text: "p filled its 2 seats with applicants it ranked higher; its last admitted was ranked 2, you 3" +
			" (you were tied in its order and the seeded lottery placed them ahead)",
	}}}}
	if got := explainByID(t, in, m); !reflect.DeepEqual(got, want) {
		t.Errorf("Explain() with %s winning the lottery = %+v, want %+v", winner, got, want)
	}
}

func TestExplainUnstableMatching(t *testing.T) {
	in := build(t, []string{"a1: p1 p2", "a2: p1"}, []string{"p1/1: a1 a2", "p2/1: a1"})
	m := &engine.Matching{ProgramOf: []int{1, 0}} // a1 is ranked first at p1 but got p2
	want := map[string][]explained{"a1": {{"p1", engine.Reason{
		Code: engine.ReasonBlocking, Capacity: 1, LastAdmittedRank: 2, YourRank: 1,
		Text: "p1 ranked you 1, above its last admitted at 2; this pair blocks the matching",
	}}}}
	if got := explainByID(t, in, m); !reflect.DeepEqual(got, want) {
		t.Errorf("Explain(%v) = %+v, want %+v", m.ProgramOf, got, want)
	}
	m.ProgramOf = []int{engine.Unmatched, engine.Unmatched}
	got := explainByID(t, in, m)
	if len(got["a1"]) != 2 || got["a1"][0].Code != engine.ReasonBlocking ||
		got["a1"][0].Text != "p1 had a free seat and listed you; this pair blocks the matching" {
		t.Errorf("Explain(nobody matched) = %+v, want a1 blocking with p1's free seat", got)
	}
	m.Seed = 1
	if _, err := engine.Explain(in, m); err == nil {
		t.Errorf("Explain(matching from another seed) error = nil, want ErrMismatch")
	}
}

// On random strict instances and arbitrary assignments that respect capacities, Explain
// reports exactly the blocking pairs that Check counts, and one reason for every program
// an applicant ranked above their own.
func TestExplainAgreesWithCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := range 1000 {
		in := enginetest.Random(r, enginetest.Options{
			Applicants: 1 + r.IntN(10), Programs: 1 + r.IntN(5), MaxCapacity: 3, ListProb: 0.7, MutualProb: 0.8,
		})
		programOf := make([]int, len(in.Applicants))
		filled := make([]int, len(in.Programs))
		for a, app := range in.Applicants {
			programOf[a] = engine.Unmatched
			if len(app.Prefs) > 0 {
				if p := app.Prefs[r.IntN(len(app.Prefs))]; filled[p] < in.Programs[p].Capacity {
					programOf[a], filled[p] = p, filled[p]+1
				}
			}
		}
		m := &engine.Matching{Seed: in.Seed, ProgramOf: programOf}
		reasons, err := engine.Explain(in, m)
		if err != nil {
			t.Fatal(err)
		}
		blocking := 0
		for a, rs := range reasons {
			if want := listPos(in.Applicants[a].Prefs, programOf[a]); len(rs) != want {
				t.Fatalf("case %d: Explain gave applicant %d %d reasons, want %d", i, a, len(rs), want)
			}
			for _, reason := range rs {
				if reason.Code == engine.ReasonBlocking {
					blocking++
				}
			}
		}
		if want := naiveCertificate(in, programOf).BlockingPairs; blocking != want {
			t.Fatalf("case %d: Explain(%v) found %d blocking pairs, want %d", i, ids(in, programOf), blocking, want)
		}
	}
}
