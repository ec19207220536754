package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzRun drives the whole command: any input ends in exit 0 with a JSON result on stdout,
// or exit 2 with one line on stderr and nothing on stdout. Never a crash, never exit 1.
func FuzzRun(f *testing.F) {
	f.Add([]byte(`{"applicants": [{"id": "a1", "prefs": ["p1"]}], "programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"]}]}`), uint8(0))
	f.Add([]byte(`{"applicants": [{"id": "a", "prefs": ["p", "q"]}, {"id": "b", "prefs": ["p"]}], "programs": [{"id": "p", "capacity": 1, "prefs": [["a", "b"]]}, {"id": "q", "capacity": 0}]}`), uint8(7))
	f.Add([]byte(`{"applicants": [{"id": "a", "prefs": ["p", "q"], "categories": ["g"]}, {"id": "b", "prefs": ["p", "q"]}, {"id": "c", "prefs": ["q", "p"]}],
		"programs": [{"id": "p", "capacity": 2, "prefs": [["a", "b"], "c"], "reserves": [{"category": "g", "seats": 1}], "region": "r", "target": 1},
		             {"id": "q", "capacity": 2, "prefs": ["c", "b", "a"], "reserveOrder": "first", "reserves": [{"category": "h", "seats": 1}], "region": "r", "target": 0}],
		"regions": [{"id": "r", "cap": 2}]}`), uint8(6))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		var args []string
		if flags&1 != 0 {
			args = append(args, "--optimal", "programs")
		}
		if flags&2 != 0 {
			args = append(args, "--explain")
		}
		if flags&4 != 0 {
			args = append(args, "--seed", "12345")
		}
		code, stdout, stderr := runString(args, string(data))
		switch code {
		case 0:
			var out struct {
				Matches []struct {
					Applicant, Program string
				}
				Unmatched     []string
				BlockingPairs *int
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil || out.BlockingPairs == nil || *out.BlockingPairs != 0 || stderr != "" {
				t.Fatalf("run(%q, %q) = 0, stdout %q, stderr %q: want a stable result and no stderr (%v)", args, data, stdout, stderr, err)
			}
		case 2:
			if stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Fatalf("run(%q, %q) = 2, stdout %q, stderr %q: want no stdout and one line", args, data, stdout, stderr)
			}
		default:
			t.Fatalf("run(%q, %q) = %d, stderr %q", args, data, code, stderr)
		}
	})
}
