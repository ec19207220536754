package instancejson

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecode compares Decode with referenceDecode, built on
// encoding/json. Both must accept the same inputs and decode them alike; the decoder may
// additionally reject repeated keys and invalid UTF-8, which encoding/json lets through,
// and very deep nesting. Errors must carry a position inside the input and fit on one line.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"applicants": [{"id": "a1", "prefs": ["p2", "p1"]}], "programs": [{"id": "p1", "capacity": 2, "prefs": ["a1", "a3"]}]}`,
		`{"applicants": [{"id": "a1", "prefs": ["p1"]}, {"id": "a2"}], "programs": [{"id": "p1", "capacity": 1, "prefs": [["a1", "a2"]]}], "notes": [{"applicant": "a2", "program": "p1", "reason": "x"}]}`,
		// Allocation policies: categories, reserves in both orders, regions with targets.
		`{"applicants": [{"id": "a1", "prefs": ["p1", "p2"], "categories": ["women", "rural"]}, {"id": "a2", "prefs": ["p1"], "categories": []}],
		  "programs": [{"id": "p1", "capacity": 2, "prefs": ["a2", "a1"], "reserves": [{"category": "women", "seats": 1}], "reserveOrder": "first", "region": "north", "target": 1},
		               {"id": "p2", "capacity": 1, "prefs": ["a1"], "reserves": [{"category": "rural", "seats": 0}, {"category": "women", "seats": 1}], "reserveOrder": "last", "region": "north"}],
		  "regions": [{"id": "north", "cap": 2}, {"id": "south", "cap": 0}]}`,
		`{"regions": [{"id": "r", "cap": 1}], "programs": [{"id": "p", "capacity": 3, "region": "r", "target": 0}]}`,
		`{"programs": [{"id": "p", "capacity": 1, "region": "nowhere"}]}`,
		`{"programs": [{"id": "p", "capacity": 1, "reserves": [{"category": "g", "seats": 2}]}]}`,
		`{"programs": [{"id": "p", "capacity": 2, "region": "r"}], "regions": [{"id": "r", "cap": 1}]}`,
		`{"programs": [{"id": "p", "capacity": 2, "target": -1, "reserveOrder": "middle"}], "regions": [{"id": "r", "cap": -3}, {"id": "r", "cap": 1}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data)
		want, refErr := referenceDecode(data)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Offset < 0 || ie.Offset > len(data) || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("Decode(%q) error = %q, want one line with an offset in 0…%d", data, err, len(data))
			}
			// The reference lets the last of repeated keys win; the decoder rejects repeated
			// fields, possibly while reading an earlier one, so such inputs prove nothing.
			if refErr == nil && !hasRepeatedKeys(data) &&
				!strings.Contains(err.Error(), "invalid UTF-8") && !strings.Contains(err.Error(), "nested too deeply") {
				t.Fatalf("Decode(%q) error = %v, but encoding/json accepts it as %+v", data, err, want)
			}
			return
		}
		if !json.Valid(data) || !utf8.Valid(data) {
			t.Fatalf("Decode(%q) accepted invalid JSON", data)
		}
		if refErr != nil {
			t.Fatalf("Decode(%q) = %+v, but the reference rejects it: %v", data, got, refErr)
		}
		if !sameInstance(got, want) {
			t.Fatalf("Decode(%q) = %+v, reference %+v", data, got, want)
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("Decode(%q) = an invalid instance: %v", data, err)
		}
	})
}

// hasRepeatedKeys reports whether any object in data, at any depth, repeats a key.
func hasRepeatedKeys(data []byte) bool {
	type frame struct {
		keys      map[string]bool // nil for arrays
		expectKey bool
	}
	var stack []*frame
	// valueDone records that a value ended inside the innermost container.
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].expectKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{keys: map[string]bool{}, expectKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		default:
			if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].expectKey {
				key := t.(string)
				if stack[n-1].keys[key] {
					return true
				}
				stack[n-1].keys[key] = true
				stack[n-1].expectKey = false
				continue
			}
			valueDone()
		}
	}
}
