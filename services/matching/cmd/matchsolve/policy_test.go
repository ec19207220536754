package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The policies of DESIGN.md §5 through the whole command.
func TestRunPolicies(t *testing.T) {
	// Tohoku (cap 2) holds h1 and h2 with a target of 1 each; d1 and d2 want only h1, d3
	// wants h1 then h2. h1 ranks d1, d2, d3; its second seat is reserved for rural
	// applicants (d3), filled last. h2 draws no one, so the round-robin gives h1 its
	// second seat, and the reserve gives it to d3 over d2.
	in := `{"applicants": [{"id": "d1", "prefs": ["h1"]}, {"id": "d2", "prefs": ["h1"]},
	                       {"id": "d3", "prefs": ["h1", "h2"], "categories": ["rural"]}],
	        "programs": [{"id": "h1", "capacity": 2, "prefs": ["d1", "d2", "d3"], "region": "Tohoku", "target": 1,
	                      "reserves": [{"category": "rural", "seats": 1}]},
	                     {"id": "h2", "capacity": 2, "prefs": ["d3"], "region": "Tohoku", "target": 1}],
	        "regions": [{"id": "Tohoku", "cap": 2}]}`
	code, out, errOut := runString(nil, in)
	want := `{"matches": [{"applicant": "d1", "program": "h1"}, {"applicant": "d3", "program": "h1"}], "unmatched": ["d2"], "blockingPairs": 0}` + "\n"
	if code != 0 || out != want || errOut != "" {
		t.Fatalf("run() = %d, %q, %q; want 0, %q", code, out, errOut, want)
	}

	code, out, errOut = runString([]string{"--explain"}, in)
	if code != 0 || errOut != "" {
		t.Fatalf("run(--explain) = %d, %q", code, errOut)
	}
	var res struct {
		Explanations []struct {
			Applicant string
			Reasons   []map[string]any
		}
		Reserves []map[string]any
		Regions  []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output %s: %v", out, err)
	}
	d2 := res.Explanations[1].Reasons
	if len(d2) != 1 || d2[0]["code"] != "reserved" || d2[0]["category"] != "rural" || d2[0]["seats"] != 1.0 ||
		d2[0]["text"] != "the 1 seat of h1 reserved for rural went to applicants in that category; you are not in it" {
		t.Errorf("d2's reasons = %v", d2)
	}
	if len(res.Reserves) != 1 || res.Reserves[0]["program"] != "h1" || res.Reserves[0]["seats"] != 1.0 ||
		res.Reserves[0]["toCategory"] != 1.0 || res.Reserves[0]["reverted"] != 0.0 {
		t.Errorf("reserves = %v, want h1's rural seat taken by d3", res.Reserves)
	}
	if len(res.Regions) != 1 || res.Regions[0]["filled"] != 2.0 || res.Regions[0]["cap"] != 2.0 {
		t.Errorf("regions = %v", res.Regions)
	}
}

// Bad policy input: one line on stderr naming the item, exit 2, nothing on stdout.
func TestRunBadPolicies(t *testing.T) {
	app := `{"id": "a", "prefs": ["p"]}`
	for _, tc := range []struct{ name, args, input, want string }{
		{"targets over cap", "", `{"applicants": [` + app + `], "programs": [{"id": "p", "capacity": 3, "prefs": ["a"], "region": "Tohoku"}], "regions": [{"id": "Tohoku", "cap": 2}]}`,
			`targets of region "Tohoku" add up to 3, more than its cap of 2`},
		{"reserves over capacity", "", `{"programs": [{"id": "p", "capacity": 1, "reserves": [{"category": "women", "seats": 1}, {"category": "rural", "seats": 1}]}]}`,
			`programs[0]: reserves hold 2 seats, more than its capacity of 1`},
		{"unknown region", "", `{"programs": [{"id": "p", "capacity": 1, "region": "Kanto"}]}`, `programs[0].region: unknown region "Kanto"`},
		{"negative target", "", `{"programs": [{"id": "p", "capacity": 1, "target": -2}]}`, `programs[0].target: negative target -2`},
		{"negative cap", "", `{"regions": [{"id": "Tohoku", "cap": -1}]}`, `regions[0].cap: negative cap -1`},
		{"negative seats", "", `{"programs": [{"id": "p", "capacity": 1, "reserves": [{"category": "women", "seats": -1}]}]}`, `negative seats -1`},
		{"program-optimal with policies", "--optimal=programs", `{"programs": [{"id": "p", "capacity": 1, "reserves": [{"category": "women", "seats": 1}]}]}`,
			`reserves and regions need applicant-optimal matching`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var args []string
			if tc.args != "" {
				args = []string{tc.args}
			}
			code, out, errOut := runString(args, tc.input)
			if code != exitBadInput || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "matchsolve: ") || !strings.Contains(errOut, tc.want) {
				t.Errorf("run(%v) = %d, stdout %q, stderr %q; want 2, nothing, one line with %q", args, code, out, errOut, tc.want)
			}
		})
	}
}
