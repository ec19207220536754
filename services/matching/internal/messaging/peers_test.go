package messaging

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseAnnouncement(t *testing.T) {
	tests := []struct {
		name, data string
		ok         bool
	}{
		{"profiles and programs", `{"replica":"r1","profiles":["a"],"programs":["p"]}`, true},
		{"no replica", `{"profiles":["a"]}`, false},
		{"empty id", `{"replica":"r1","programs":[""]}`, false},
		{"too many", `{"replica":"r1","profiles":[` + strings.Repeat(`"a",`, maxAnnounced) + `"a"]}`, false},
		{"not JSON", `{"replica":`, false},
	}
	for _, tc := range tests {
		if _, err := parseAnnouncement([]byte(tc.data)); (err == nil) != tc.ok {
			t.Errorf("%s: parseAnnouncement error = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

// FuzzAnnouncement feeds the announcement reader what any NATS client
// could publish on the subject.
func FuzzAnnouncement(f *testing.F) {
	f.Add([]byte(`{"replica":"r1","profiles":["a","b"],"programs":["p"]}`))
	f.Add([]byte(`{"replica":"","profiles":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := parseAnnouncement(data)
		if err != nil {
			return
		}
		if a.Replica == "" || len(a.Profiles)+len(a.Programs) > maxAnnounced {
			t.Fatalf("accepted %+v", a)
		}
		if _, err := json.Marshal(a); err != nil {
			t.Fatal(err)
		}
	})
}
