package events

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestNewMakesUUIDv7(t *testing.T) {
	ev, err := New("profiles", ProfileCreated, "u1", 1, map[string]string{"a": "b"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := uuid.Parse(ev.ID)
	if err != nil || id.Version() != 7 {
		t.Errorf("New().ID = %q (version %v), want a UUIDv7", ev.ID, id.Version())
	}
	if ev.Type != ProfileCreated || ev.Subject != "u1" || ev.SpecVersion != "1.0" || ev.AggregateVersion != 1 {
		t.Errorf("New() = %+v", ev)
	}
	raw, _ := ev.Marshal()
	back, err := Parse(raw)
	if err != nil || back.ID != ev.ID || string(back.Data) != `{"a":"b"}` {
		t.Errorf("Parse(Marshal(ev)) = %+v, %v", back, err)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", `nope`, "invalid character"},
		{"missing id", `{"specversion":"1.0","source":"s","type":"t","subject":"x","data":{}}`, "missing id"},
		{"wrong spec", `{"specversion":"0.3","id":"i","source":"s","type":"t","subject":"x","data":{}}`, "specversion"},
		{"no data", `{"specversion":"1.0","id":"i","source":"s","type":"t","subject":"x"}`, "no data"},
		{"negative version", `{"specversion":"1.0","id":"i","source":"s","type":"t","subject":"x","aggregateversion":-1,"data":{}}`, "negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%s) = %v, want ErrMalformed mentioning %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestEveryStreamSubjectIsUnique(t *testing.T) {
	seen := map[string]string{}
	for _, s := range Streams {
		for _, sub := range s.Subjects {
			if prev, ok := seen[sub]; ok {
				t.Errorf("subject %s in both %s and %s", sub, prev, s.Name)
			}
			seen[sub] = s.Name
		}
	}
	if StreamOf(OfferDeclined) != "MATCHING" || StreamOf("tb.rpc.x") != "" {
		t.Errorf("StreamOf() wrong: %q %q", StreamOf(OfferDeclined), StreamOf("tb.rpc.x"))
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"specversion":"1.0","id":"i","source":"s","type":"t","subject":"x","aggregateversion":3,"data":{"a":1}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"data":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if ev.ID == "" || ev.Type == "" || len(ev.Data) == 0 {
			t.Fatalf("Parse accepted an incomplete envelope: %+v", ev)
		}
	})
}
