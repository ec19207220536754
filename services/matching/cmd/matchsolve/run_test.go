package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// runString runs the command in-process on input.
func runString(args []string, input string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(input), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunGoodInput(t *testing.T) {
	// Gale and Shapley's cyclic example: each side gets its first choices when it proposes.
	cyclic := `{"applicants": [{"id": "m1", "prefs": ["w1", "w2", "w3"]},
	                           {"id": "m2", "prefs": ["w2", "w3", "w1"]},
	                           {"id": "m3", "prefs": ["w3", "w1", "w2"]}],
	            "programs": [{"id": "w1", "capacity": 1, "prefs": ["m2", "m3", "m1"]},
	                         {"id": "w2", "capacity": 1, "prefs": ["m3", "m1", "m2"]},
	                         {"id": "w3", "capacity": 1, "prefs": ["m1", "m2", "m3"]}]}`

	// a1 prefers p2, but p2 does not list a1; a3 ranks p1, which lists a1 and a2 ahead
	// of a3 and has two seats; a4 lists nothing.
	small := `{"applicants": [{"id": "a1", "prefs": ["p2", "p1"]}, {"id": "a2", "prefs": ["p1"]},
	                          {"id": "a3", "prefs": ["p1", "p2"]}, {"id": "a4", "prefs": []}],
	           "programs":   [{"id": "p1", "capacity": 2, "prefs": ["a1", "a2", "a3"]},
	                          {"id": "p2", "capacity": 1, "prefs": ["a3"]}]}`

	// p has one seat, two applicants tied behind nobody, and a note for c.
	explain := `{"applicants": [{"id": "a", "prefs": ["p", "q"]}, {"id": "b", "prefs": ["p"]}, {"id": "c", "prefs": ["p", "q"]}],
	             "programs": [{"id": "p", "capacity": 1, "prefs": ["b", "a"], "host": "ignored"},
	                          {"id": "q", "capacity": 0, "prefs": ["a", "c"]}],
	             "notes": [{"applicant": "c", "program": "p", "reason": "not eligible: requires JLPT N3"}],
	             "version": 2}`

	tests := []struct {
		name  string
		args  []string
		input string
		want  string
	}{
		{"cyclic applicants", nil, cyclic,
			`{"matches": [{"applicant": "m1", "program": "w1"}, {"applicant": "m2", "program": "w2"}, {"applicant": "m3", "program": "w3"}], "unmatched": [], "blockingPairs": 0}`},
		{"cyclic programs", []string{"--optimal", "programs"}, cyclic,
			`{"matches": [{"applicant": "m1", "program": "w3"}, {"applicant": "m2", "program": "w1"}, {"applicant": "m3", "program": "w2"}], "unmatched": [], "blockingPairs": 0}`},
		{"cyclic programs, one dash", []string{"-optimal=programs"}, cyclic,
			`{"matches": [{"applicant": "m1", "program": "w3"}, {"applicant": "m2", "program": "w1"}, {"applicant": "m3", "program": "w2"}], "unmatched": [], "blockingPairs": 0}`},
		{"mutual acceptability", nil, small,
			`{"matches": [{"applicant": "a1", "program": "p1"}, {"applicant": "a2", "program": "p1"}, {"applicant": "a3", "program": "p2"}], "unmatched": ["a4"], "blockingPairs": 0}`},
		{"empty instance", nil, `{}`, `{"matches": [], "unmatched": [], "blockingPairs": 0}`},
		{"null lists", nil, `{"applicants": null, "programs": [{"id": "p", "capacity": 3, "prefs": null}], "notes": null}`,
			`{"matches": [], "unmatched": [], "blockingPairs": 0}`},
		{"escaped ids", nil, `{"applicants": [{"id": "a\"1\u00e9\n", "prefs": ["\u7814\u7a76"]}], "programs": [{"id": "研究", "capacity": 1, "prefs": ["a\"1é\n"]}]}`,
			`{"matches": [{"applicant": "a\"1é\n", "program": "研究"}], "unmatched": [], "blockingPairs": 0}`},
		{"explain", []string{"--explain"}, explain,
			`{"matches": [{"applicant": "b", "program": "p"}], "unmatched": ["a", "c"], "blockingPairs": 0, "explanations": [` +
				`{"applicant": "a", "reasons": [{"program": "p", "code": "filled", "text": "p filled its 1 seat with applicants it ranked higher; its last admitted was ranked 1, you 2", "capacity": 1, "yourRank": 2, "lastAdmittedRank": 1, "tied": false}, ` +
				`{"program": "q", "code": "no_seats", "text": "q has no seats"}]}, ` +
				`{"applicant": "b", "reasons": []}, ` +
				`{"applicant": "c", "reasons": [{"program": "p", "code": "excluded", "text": "not eligible: requires JLPT N3", "note": "not eligible: requires JLPT N3"}, ` +
				`{"program": "q", "code": "no_seats", "text": "q has no seats"}]}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runString(tc.args, tc.input)
			if code != 0 || stderr != "" {
				t.Fatalf("run(%q) = %d, stderr %q, want 0 and nothing", tc.args, code, stderr)
			}
			if stdout != tc.want+"\n" {
				t.Errorf("run(%q) stdout =\n%s\nwant\n%s", tc.args, stdout, tc.want)
			}
			if !json.Valid([]byte(stdout)) {
				t.Errorf("run(%q) stdout is not valid JSON", tc.args)
			}
		})
	}
}

func TestRunSeed(t *testing.T) {
	// Four applicants tied for two seats: the seed picks the winners.
	input := `{"applicants": [{"id": "a", "prefs": ["p"]}, {"id": "b", "prefs": ["p"]}, {"id": "c", "prefs": ["p"]}, {"id": "d", "prefs": ["p"]}],
	           "programs": [{"id": "p", "capacity": 2, "prefs": [["a", "b", "c", "d"]]}]}`
	outputs := map[string]bool{}
	for seed := range 12 {
		args := []string{"--seed", strconv.Itoa(seed)}
		_, first, _ := runString(args, input)
		code, second, stderr := runString(args, input)
		if code != 0 || first != second {
			t.Fatalf("run(%q) twice = %q then %q (code %d, stderr %q), want the same", args, first, second, code, stderr)
		}
		outputs[first] = true
	}
	if len(outputs) < 3 {
		t.Errorf("12 seeds gave %d different outputs, want at least 3: %v", len(outputs), outputs)
	}
}

func TestRunHelp(t *testing.T) {
	code, stdout, stderr := runString([]string{"-h"}, "")
	if code != 0 || !strings.HasPrefix(stdout, "usage: matchsolve") || stderr != "" {
		t.Errorf("run(-h) = %d, stdout %q, stderr %q, want 0 and usage on stdout", code, stdout, stderr)
	}
}

func TestRunBadInput(t *testing.T) {
	const ok = `{"applicants": [{"id": "a1", "prefs": ["p1"]}], "programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"]}]}`
	tests := []struct {
		name  string
		args  []string
		input string
		want  string // a part of the one stderr line
	}{
		{"unknown flag", []string{"--fast"}, ok, "bad flag: flag provided but not defined: -fast"},
		{"bad optimal", []string{"--optimal", "both"}, ok, `invalid value "both" for flag -optimal: want "applicants" or "programs"`},
		{"missing optimal value", []string{"--optimal"}, ok, "flag needs an argument: -optimal"},
		{"negative seed", []string{"--seed", "-1"}, ok, `invalid value "-1" for flag -seed`},
		{"seed not a number", []string{"--seed=x"}, ok, `invalid value "x" for flag -seed`},
		{"explain with value", []string{"--explain=maybe"}, ok, `invalid boolean value "maybe" for -explain`},
		{"positional argument", []string{"instance.json"}, ok, `unexpected argument "instance.json"`},

		{"empty input", nil, "", "line 1, column 1 (byte 0): want an instance object, got end of input"},
		{"not an object", nil, `[]`, "line 1, column 1 (byte 0): want an instance object, got array"},
		{"truncated", nil, `{"applicants": [{"id": "a1"`, "line 1, column 28 (byte 27): unexpected end of input"},
		{"missing bracket", nil, "{\"applicants\": [\n  {\"id\": \"a1\", \"prefs\": [\"p1\"}]}",
			`line 2, column 30 (byte 46): invalid character '}' after array element (expecting ',' or ']')`},
		{"trailing data", nil, ok + ` {}`, "unexpected object after the instance object"},
		{"trailing comma", nil, `{"applicants": [{"id": "a1"},]}`, "line 1, column 29 (byte 28): invalid character ',' at start of value"},
		{"bare word", nil, `{"applicants": nope}`, "line 1, column 17 (byte 16): invalid character 'o' in literal null (expecting 'u')"},
		{"boolean", nil, `{"programs": [{"id": "p", "capacity": true}]}`, "programs[0].capacity: want a number, got boolean"},
		{"unknown program", nil, "{\"applicants\": [{\"id\": \"a1\", \"prefs\": [\"p1\", \"p9\"]}],\n \"programs\": [{\"id\": \"p1\", \"capacity\": 1}]}",
			`line 1, column 46 (byte 45): unknown program id "p9"`},
		{"unknown applicant", nil, `{"programs": [{"id": "p1", "capacity": 1, "prefs": [["a1", "zz"]]}], "applicants": [{"id": "a1"}]}`,
			`line 1, column 60 (byte 59): unknown applicant id "zz"`},
		{"unknown id in note", nil, `{"notes": [{"applicant": "a1", "program": "p1", "reason": "x"}]}`, `unknown program id "p1"`},
		{"duplicate applicant", nil, "{\"applicants\": [{\"id\": \"a1\"},\n {\"id\": \"a1\"}]}",
			`line 2, column 9 (byte 38): duplicate applicant id "a1" (first at line 1, column 24)`},
		{"duplicate program", nil, `{"programs": [{"id": "p", "capacity": 1}, {"id": "p", "capacity": 2}]}`, `duplicate program id "p"`},
		{"negative capacity", nil, `{"programs": [{"id": "p", "capacity": -3}]}`, "line 1, column 39 (byte 38): programs[0].capacity: negative capacity -3"},
		{"fractional capacity", nil, `{"programs": [{"id": "p", "capacity": 1.5}]}`, "programs[0].capacity: 1.5 is not a whole number"},
		{"huge capacity", nil, `{"programs": [{"id": "p", "capacity": 99999999999}]}`, "programs[0].capacity: 99999999999 is too large"},
		{"capacity as string", nil, `{"programs": [{"id": "p", "capacity": "2"}]}`, "programs[0].capacity: want a number, got string"},
		{"bad number", nil, `{"programs": [{"id": "p", "capacity": 01}]}`, "line 1, column 40 (byte 39): invalid character '1' after object value (expecting ',' or '}')"},
		{"missing capacity", nil, `{"programs": [{"id": "p"}]}`, `line 1, column 15 (byte 14): programs[0]: missing "capacity"`},
		{"missing id", nil, `{"applicants": [{"prefs": []}]}`, `applicants[0]: missing "id"`},
		{"empty id", nil, `{"applicants": [{"id": ""}]}`, "applicants[0].id: empty id"},
		{"id not a string", nil, `{"applicants": [{"id": 7}]}`, "applicants[0].id: want an id string, got number"},
		{"program listed twice", nil, `{"applicants": [{"id": "a", "prefs": ["p", "q", "p"]}], "programs": [{"id": "p", "capacity": 1}, {"id": "q", "capacity": 1}]}`,
			`line 1, column 49 (byte 48): applicants[0].prefs: program "p" listed twice`},
		{"applicant listed twice across ties", nil, `{"applicants": [{"id": "a"}, {"id": "b"}], "programs": [{"id": "p", "capacity": 1, "prefs": ["a", ["b", "a"]]}]}`,
			`line 1, column 105 (byte 104): programs[0].prefs: applicant "a" listed twice`},
		{"tie in applicant prefs", nil, `{"applicants": [{"id": "a", "prefs": [["p"]]}]}`, "applicants[0].prefs[0]: want a program id string, got array"},
		{"nested tie", nil, `{"applicants": [{"id": "a"}], "programs": [{"id": "p", "capacity": 1, "prefs": [[["a"]]]}]}`, "programs[0].prefs[0]: tie groups cannot nest"},
		{"empty tie", nil, `{"programs": [{"id": "p", "capacity": 1, "prefs": [[]]}]}`, "programs[0].prefs[0]: empty tie group"},
		{"duplicate field", nil, `{"programs": [{"id": "p", "capacity": 1, "capacity": 2}]}`, `programs[0]: duplicate field "capacity"`},
		{"duplicate top-level field", nil, `{"applicants": [], "applicants": []}`, `duplicate field "applicants"`},
		{"second note for a pair", nil, `{"applicants": [{"id": "a"}], "programs": [{"id": "p", "capacity": 1}],
			"notes": [{"applicant": "a", "program": "p", "reason": "x"}, {"applicant": "a", "program": "p", "reason": "y"}]}`,
			`second note for applicant "a" and program "p"`},
		{"note without reason", nil, `{"notes": [{"applicant": "a", "program": "p"}]}`, `notes[0]: missing "reason"`},
		{"invalid UTF-8", nil, "{\"applicants\": [{\"id\": \"a\xff\"}]}", "line 1, column 26 (byte 25): invalid UTF-8 in string"},
		{"control character", nil, "{\"applicants\": [{\"id\": \"a\tb\"}]}", `line 1, column 26 (byte 25): invalid character '\t' in string (expecting non-control character)`},
		{"bad escape", nil, `{"applicants": [{"id": "a\x"}]}`, "line 1, column 26 (byte 25): invalid escape sequence `\\x` in string"},
		{"unknown field with bad value", nil, `{"extra": [1, 2,, 3]}`, "line 1, column 17 (byte 16): invalid character ',' at start of value"},
		{"deep nesting", nil, `{"extra": ` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`, "nested too deeply"},
		{"newline in unknown id", nil, `{"applicants": [{"id": "a", "prefs": ["p\nq"]}]}`, `unknown program id "p\nq"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runString(tc.args, tc.input)
			if code != 2 {
				t.Errorf("run(%q) = %d, want 2", tc.args, code)
			}
			if stdout != "" {
				t.Errorf("run(%q) stdout = %q, want nothing", tc.args, stdout)
			}
			if !strings.HasPrefix(stderr, "matchsolve: ") || !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("run(%q) stderr = %q, want one line starting \"matchsolve: \"", tc.args, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("run(%q) stderr = %q, want it to contain %q", tc.args, stderr, tc.want)
			}
		})
	}
}
