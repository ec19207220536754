package explain

import (
	"encoding/json"
	"maps"
	"testing"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name   string
		code   string
		text   string
		pairs  []string
		params map[string]string
	}{
		{"no params", "score.dates.full", "Available for the whole program", nil, nil},
		{"params", "eligibility.language.met", "JLPT N2 meets N3",
			[]string{"language", "ja", "level", "N2", "min", "N3"},
			map[string]string{"language": "ja", "level": "N2", "min": "N3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := New(tc.code, tc.text, tc.pairs...)
			if r.Code != tc.code || r.Text != tc.text || !maps.Equal(r.Params, tc.params) {
				t.Errorf("New(%q, %q, %v) = %+v, want code %q text %q params %v", tc.code, tc.text, tc.pairs, r, tc.code, tc.text, tc.params)
			}
			if r.String() != tc.text {
				t.Errorf("String() = %q, want %q", r.String(), tc.text)
			}
		})
	}
}

func TestNewOddPairsPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("New with an odd number of pair arguments did not panic")
		}
	}()
	New("x", "y", "key")
}

func TestJSON(t *testing.T) {
	tests := []struct {
		r    Reason
		want string
	}{
		{New("score.field.same", "Same field: Mathematics", "field", "1.1"),
			`{"code":"score.field.same","params":{"field":"1.1"},"text":"Same field: Mathematics"}`},
		{New("score.dates.full", "Available for the whole program"),
			`{"code":"score.dates.full","text":"Available for the whole program"}`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.r)
		if err != nil || string(b) != tc.want {
			t.Errorf("json.Marshal(%+v) = %s, %v; want %s", tc.r, b, err, tc.want)
		}
	}
}
