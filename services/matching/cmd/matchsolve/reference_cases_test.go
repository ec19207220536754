package main

import (
	"maps"
	"strings"
	"testing"
)

// refHandCases are small instances whose outcomes were worked out on paper from the rules
// of DESIGN.md §5; the comment on each gives the working.
var refHandCases = []struct {
	name   string
	policy bool // needs matchsolve to apply allocation policies
	input  string
	want   refOutcome
}{
	{
		// JRMP before 2015: each hospital capped at its share of the prefecture (1 each)
		// as a hard capacity. Both doctors want h1 only, so one of h1's two would-be seats
		// is lost although the prefecture is under its cap.
		name: "separate caps waste a seat",
		input: `{"applicants": [{"id": "d1", "prefs": ["h1"]}, {"id": "d2", "prefs": ["h1"]}],
		         "programs": [{"id": "h1", "capacity": 1, "prefs": ["d1", "d2"]},
		                      {"id": "h2", "capacity": 1, "prefs": ["d1", "d2"]}]}`,
		want: refOutcome{"d1": "h1"},
	},
	{
		// Kamada–Kojima flexible DA on the same market: the region (cap 2) holds h1 and
		// h2 with targets 1. Phase one gives h1 d1 (h2 has no proposer); round-robin then
		// gives h1 its next slot, d2, reaching the cap. No seat is wasted.
		name:   "flexible deferred acceptance fills the seat",
		policy: true,
		input: `{"applicants": [{"id": "d1", "prefs": ["h1"]}, {"id": "d2", "prefs": ["h1"]}],
		         "programs": [{"id": "h1", "capacity": 2, "prefs": ["d1", "d2"], "region": "tohoku", "target": 1},
		                      {"id": "h2", "capacity": 2, "prefs": ["d1", "d2"], "region": "tohoku", "target": 1}],
		         "regions": [{"id": "tohoku", "cap": 2}]}`,
		want: refOutcome{"d1": "h1", "d2": "h1"},
	},
	{
		// Cap 3, targets 1 and 1: phase one gives h1 d1 and h2 d4; round-robin in listed
		// order gives h1 its second slot (d2) and the cap is reached, so d5 is turned away
		// although h2 has seats, and d3 too.
		name:   "region cap binds, round-robin starts with the first listed program",
		policy: true,
		input: `{"applicants": [{"id": "d1", "prefs": ["h1"]}, {"id": "d2", "prefs": ["h1"]}, {"id": "d3", "prefs": ["h1"]},
		                        {"id": "d4", "prefs": ["h2"]}, {"id": "d5", "prefs": ["h2"]}],
		         "programs": [{"id": "h1", "capacity": 3, "prefs": ["d1", "d2", "d3"], "region": "kanto", "target": 1},
		                      {"id": "h2", "capacity": 3, "prefs": ["d4", "d5"], "region": "kanto", "target": 1}],
		         "regions": [{"id": "kanto", "cap": 3}]}`,
		want: refOutcome{"d1": "h1", "d2": "h1", "d4": "h2"},
	},
	{
		// The same market with h2 listed first: round-robin now gives h2 its second slot.
		name:   "region cap binds, listing h2 first favours h2",
		policy: true,
		input: `{"applicants": [{"id": "d1", "prefs": ["h1"]}, {"id": "d2", "prefs": ["h1"]}, {"id": "d3", "prefs": ["h1"]},
		                        {"id": "d4", "prefs": ["h2"]}, {"id": "d5", "prefs": ["h2"]}],
		         "programs": [{"id": "h2", "capacity": 3, "prefs": ["d4", "d5"], "region": "kanto", "target": 1},
		                      {"id": "h1", "capacity": 3, "prefs": ["d1", "d2", "d3"], "region": "kanto", "target": 1}],
		         "regions": [{"id": "kanto", "cap": 3}]}`,
		want: refOutcome{"d1": "h1", "d4": "h2", "d5": "h2"},
	},
	{
		// Cap 4, targets 1 and 1, three doctors for each: phase one gives h1 d1 and h2 d4;
		// round-robin gives one slot to each in turn, d2 then d5, and stops at the cap. A
		// chooser that filled h1 before h2 would take d3 instead of d5.
		name:   "round-robin takes one slot at a time",
		policy: true,
		input: `{"applicants": [{"id": "d1", "prefs": ["h1"]}, {"id": "d2", "prefs": ["h1"]}, {"id": "d3", "prefs": ["h1"]},
		                        {"id": "d4", "prefs": ["h2"]}, {"id": "d5", "prefs": ["h2"]}, {"id": "d6", "prefs": ["h2"]}],
		         "programs": [{"id": "h1", "capacity": 3, "prefs": ["d1", "d2", "d3"], "region": "kanto", "target": 1},
		                      {"id": "h2", "capacity": 3, "prefs": ["d4", "d5", "d6"], "region": "kanto", "target": 1}],
		         "regions": [{"id": "kanto", "cap": 4}]}`,
		want: refOutcome{"d1": "h1", "d2": "h1", "d4": "h2", "d5": "h2"},
	},
	{
		// p: 2 seats, 1 reserved for first_generation (last). Nobody has the category: the
		// open slot takes a, the reserved slot finds no first_generation proposer and
		// reverts to the best remaining, b.
		name:   "an unused reserve reverts",
		policy: true,
		input: `{"applicants": [{"id": "a", "prefs": ["p"]}, {"id": "b", "prefs": ["p"]}, {"id": "c", "prefs": ["p"], "categories": ["women"]}],
		         "programs": [{"id": "p", "capacity": 2, "prefs": ["a", "b", "c"], "reserves": [{"category": "first_generation", "seats": 1}]}]}`,
		want: refOutcome{"a": "p", "b": "p"},
	},
	{
		// The same with c first_generation: the reserved slot takes c over b.
		name:   "a used reserve",
		policy: true,
		input: `{"applicants": [{"id": "a", "prefs": ["p"]}, {"id": "b", "prefs": ["p"]}, {"id": "c", "prefs": ["p"], "categories": ["first_generation"]}],
		         "programs": [{"id": "p", "capacity": 2, "prefs": ["a", "b", "c"], "reserves": [{"category": "first_generation", "seats": 1}]}]}`,
		want: refOutcome{"a": "p", "c": "p"},
	},
	{
		// Order w1 > m > w2, one of two seats for women. "last": the open slot takes w1,
		// then the women's slot w2.
		name:   "reserveOrder last",
		policy: true,
		input:  refPolicyProbe,
		want:   refOutcome{"w1": "p", "w2": "p"},
	},
	{
		// "first": the women's slot takes w1, then the open slot m.
		name:   "reserveOrder first",
		policy: true,
		input: `{"applicants": [{"id": "w1", "prefs": ["p"], "categories": ["women"]},
		                        {"id": "m", "prefs": ["p"]}, {"id": "w2", "prefs": ["p"], "categories": ["women"]}],
		         "programs": [{"id": "p", "capacity": 2, "prefs": ["w1", "m", "w2"], "reserves": [{"category": "women", "seats": 1}], "reserveOrder": "first"}]}`,
		want: refOutcome{"w1": "p", "m": "p"},
	},
	{
		// p (1 seat, reserved for women) ranks x > w; q (1 seat) ranks w > x; both want p
		// first. Without the reserve x keeps p and w goes to q; with it, p's slot takes
		// w, x is rejected and goes to q.
		name:   "a reserve moves applicants through deferred acceptance",
		policy: true,
		input: `{"applicants": [{"id": "x", "prefs": ["p", "q"]}, {"id": "w", "prefs": ["p", "q"], "categories": ["women"]}],
		         "programs": [{"id": "p", "capacity": 1, "prefs": ["x", "w"], "reserves": [{"category": "women", "seats": 1}]},
		                      {"id": "q", "capacity": 1, "prefs": ["w", "x"]}]}`,
		want: refOutcome{"w": "p", "x": "q"},
	},
	{
		// Targets follow the slot sequence. Region cap 2; h1 (2 seats, target 1, one seat
		// for women, reserved last) and h2 (1 seat). Phase one: h1's first slot is open and
		// takes m1; h2 takes n1; the cap is reached, so w1 gets nothing.
		name:   "a region's target counts h1's open slot first",
		policy: true,
		input: `{"applicants": [{"id": "m1", "prefs": ["h1"]}, {"id": "m2", "prefs": ["h1"]},
		                        {"id": "w1", "prefs": ["h1"], "categories": ["women"]}, {"id": "n1", "prefs": ["h2"]}],
		         "programs": [{"id": "h1", "capacity": 2, "prefs": ["m1", "m2", "w1"], "reserves": [{"category": "women", "seats": 1}],
		                       "region": "chubu", "target": 1},
		                      {"id": "h2", "capacity": 1, "prefs": ["n1"], "region": "chubu"}],
		         "regions": [{"id": "chubu", "cap": 2}]}`,
		want: refOutcome{"m1": "h1", "n1": "h2"},
	},
	{
		// The same with reserveOrder first: h1's first slot is the women's, which takes w1.
		name:   "a region's target counts h1's reserved slot first",
		policy: true,
		input: `{"applicants": [{"id": "m1", "prefs": ["h1"]}, {"id": "m2", "prefs": ["h1"]},
		                        {"id": "w1", "prefs": ["h1"], "categories": ["women"]}, {"id": "n1", "prefs": ["h2"]}],
		         "programs": [{"id": "h1", "capacity": 2, "prefs": ["m1", "m2", "w1"], "reserves": [{"category": "women", "seats": 1}],
		                       "reserveOrder": "first", "region": "chubu", "target": 1},
		                      {"id": "h2", "capacity": 1, "prefs": ["n1"], "region": "chubu"}],
		         "regions": [{"id": "chubu", "cap": 2}]}`,
		want: refOutcome{"w1": "h1", "n1": "h2"},
	},
}

func TestReferenceHandCases(t *testing.T) {
	for _, tc := range refHandCases {
		name := tc.name
		if tc.policy {
			name = "policy/" + name
		}
		t.Run(name, func(t *testing.T) {
			got, err := refSolveJSON([]byte(tc.input), 0, 1)
			if err != nil {
				t.Fatalf("reference: %v", err)
			}
			if !maps.Equal(got, tc.want) {
				t.Fatalf("reference gives %v, want %v", got, tc.want)
			}
			if tc.policy {
				refRequirePolicies(t)
			}
			got, bp, err := refMatchsolve([]byte(tc.input), 0)
			if err != nil {
				t.Fatalf("matchsolve: %v", err)
			}
			if !maps.Equal(got, tc.want) || bp != 0 {
				t.Errorf("matchsolve gives %v with %d blocking pairs, want %v and 0", got, bp, tc.want)
			}
		})
	}
}

// TestReferencePolicyBadInput: policy input DESIGN.md §5 and issue 17 call bad exits 2
// with one stderr line naming the offending item and nothing on stdout. The item may be
// named by id or by its place in the input.
func TestReferencePolicyBadInput(t *testing.T) {
	const apps = `"applicants": [{"id": "a1", "prefs": ["p1"], "categories": ["women"]}]`
	tests := []struct {
		name     string
		input    string
		names    []string // the line must contain one of these
		jsonOnly bool     // encoding/json cannot see the problem, so the reference is not asked
	}{
		{"targets over the cap", `{` + apps + `, "regions": [{"id": "tohoku", "cap": 3}],
			"programs": [{"id": "p1", "capacity": 2, "target": 2, "region": "tohoku", "prefs": ["a1"]},
			             {"id": "p2", "capacity": 2, "target": 2, "region": "tohoku"}]}`, []string{"tohoku", "regions[0]"}, false},
		{"default targets over the cap", `{` + apps + `, "regions": [{"id": "tohoku", "cap": 3}],
			"programs": [{"id": "p1", "capacity": 2, "region": "tohoku", "prefs": ["a1"]},
			             {"id": "p2", "capacity": 2, "region": "tohoku"}]}`, []string{"tohoku", "regions[0]"}, false},
		{"reserves beyond capacity", `{` + apps + `,
			"programs": [{"id": "p1", "capacity": 2, "prefs": ["a1"], "reserves": [{"category": "women", "seats": 2}, {"category": "rural", "seats": 1}]}]}`,
			[]string{"p1", "programs[0]"}, false},
		{"unknown region", `{` + apps + `, "regions": [{"id": "kanto", "cap": 1}],
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"], "region": "narnia"}]}`, []string{"narnia"}, false},
		{"negative target", `{` + apps + `, "regions": [{"id": "kanto", "cap": 1}],
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"], "region": "kanto", "target": -1}]}`,
			[]string{"p1", "programs[0]"}, false},
		{"negative cap", `{` + apps + `, "regions": [{"id": "kanto", "cap": -1}],
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"]}]}`, []string{"kanto", "regions[0]"}, false},
		{"region listed twice", `{` + apps + `, "regions": [{"id": "kanto", "cap": 1}, {"id": "kanto", "cap": 2}],
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"]}]}`, []string{"kanto", "regions[1]"}, false},
		{"program in two regions", `{` + apps + `, "regions": [{"id": "kanto", "cap": 1}, {"id": "tohoku", "cap": 1}],
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"], "region": "kanto", "region": "tohoku"}]}`,
			[]string{"p1", "programs[0]"}, true},
		{"negative reserve", `{` + apps + `,
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"], "reserves": [{"category": "women", "seats": -1}]}]}`,
			[]string{"p1", "programs[0]"}, false},
		{"unknown reserveOrder", `{` + apps + `,
			"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"], "reserveOrder": "middle"}]}`,
			[]string{"p1", "programs[0]", "middle"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.jsonOnly {
				in, err := refParse([]byte(tc.input))
				if err != nil {
					t.Fatalf("test input is not JSON: %v", err)
				}
				if _, err := refPrepare(in, 0); err == nil {
					t.Errorf("the reference accepts it")
				}
			}
			code, stdout, stderr := runString(nil, tc.input)
			if code != exitBadInput || stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, exitBadInput)
			}
			if !strings.HasPrefix(stderr, "matchsolve: ") || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Fatalf("stderr %q, want one line starting \"matchsolve: \"", stderr)
			}
			named := false
			for _, n := range tc.names {
				named = named || strings.Contains(stderr, n)
			}
			if !named {
				t.Errorf("stderr %q names none of %q", stderr, tc.names)
			}
		})
	}
}

// TestReferenceReserveOverTie: p's one seat is reserved for women and its order ties m and
// w. Whatever the lottery draws, the reserved slot takes w, so every seed gives w the seat.
func TestReferenceReserveOverTie(t *testing.T) {
	const input = `{"applicants": [{"id": "m", "prefs": ["p"]}, {"id": "w", "prefs": ["p"], "categories": ["women"]}],
	                "programs": [{"id": "p", "capacity": 1, "prefs": [["m", "w"]], "reserves": [{"category": "women", "seats": 1}]}]}`
	want := refOutcome{"w": "p"}
	for seed := range uint64(8) {
		got, err := refSolveJSON([]byte(input), seed, seed)
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("seed %d: reference gives %v (err %v), want %v", seed, got, err, want)
		}
	}
	refRequirePolicies(t)
	for seed := range uint64(8) {
		got, bp, err := refMatchsolve([]byte(input), seed)
		if err != nil || !maps.Equal(got, want) || bp != 0 {
			t.Errorf("--seed %d: matchsolve gives %v with %d blocking pairs (err %v), want %v and 0", seed, got, bp, err, want)
		}
	}
}
