package instancejson

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// passes decodes data in the fast pass and in the exact pass.
func passes(data []byte) (fast, exact *engine.Instance, fastErr, exactErr error) {
	fast, fastErr = decode(data, true)
	exact, exactErr = decode(data, false)
	return fast, exact, fastErr, exactErr
}

// On well-formed instances of every kind Write produces — ties, escaped and non-ASCII
// ids, notes, categories, reserves and regions — the fast pass succeeds and gives what
// the exact pass gives; so it does when the lists are laid out with other white space.
func TestFastPassAgreesWithExactPass(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for i := range 300 {
		in := enginetest.Random(r, enginetest.Options{
			Applicants: r.IntN(20), Programs: 1 + r.IntN(6), MaxCapacity: 5, ListProb: 0.5, MutualProb: 0.8, TieProb: 0.4,
		})
		if i%2 == 0 {
			enginetest.AddPolicies(r, in, enginetest.PolicyOptions{
				Categories: []string{"women", "first \"generation\"", "農村"}, CategoryProb: 0.4, ReserveProb: 0.5, FirstProb: 0.5,
				Regions: r.IntN(3), RegionProb: 0.6, CapFraction: 0.7, TargetProb: 0.5,
			})
		}
		for a := range in.Applicants {
			if a%4 == 1 {
				in.Applicants[a].ID = fmt.Sprintf("申請者 \"%d\"\\\t", a)
			}
		}
		for p := range in.Programs {
			if p%3 == 2 {
				in.Programs[p].ID = fmt.Sprintf("プログラム\\u%d\"", p)
			}
		}
		in.Seed = 0 // the format does not carry it
		for a, app := range in.Applicants {
			if len(app.Prefs) > 0 && r.IntN(3) == 0 {
				in.Notes = append(in.Notes, engine.Note{Applicant: a, Program: app.Prefs[0], Text: "note"})
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, in); err != nil {
			t.Fatal(err)
		}
		layouts := [][]byte{buf.Bytes(),
			bytes.ReplaceAll(buf.Bytes(), []byte(`",`), []byte("\" \n\t,\r ")),
			bytes.ReplaceAll(bytes.ReplaceAll(buf.Bytes(), []byte(`[`), []byte("[ \n")), []byte(`]`), []byte("\t]"))}
		for l, data := range layouts {
			fast, exact, fastErr, exactErr := passes(data)
			if fastErr != nil || exactErr != nil {
				t.Fatalf("case %d layout %d: fast pass error %v, exact pass error %v on %s", i, l, fastErr, exactErr, data)
			}
			if !sameInstance(fast, exact) || !sameInstance(fast, in) {
				t.Fatalf("case %d layout %d: fast pass gave %+v, exact pass %+v, written %+v", i, l, fast, exact, in)
			}
		}
	}
}

// Lists the fast pass does not take make it give up; Decode then reports the exact pass's
// error, which is the first problem in the input even when a syntax error follows it in
// the same list.
func TestFastPassRetries(t *testing.T) {
	const progs = `"programs": [{"id": "p1", "capacity": 1, "prefs": ["a1"]}]`
	for _, tc := range []struct{ in, want string }{
		{`{"applicants": [{"id": "a1", "prefs": ["p1", 5, }]}], ` + progs + `}`,
			`line 1, column 46 (byte 45): applicants[0].prefs[1]: want a program id string, got number`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1" "p2"]}], ` + progs + `}`,
			`line 1, column 45 (byte 44): invalid character '"' after array element (expecting ',' or ']')`},
		{`{"applicants": [{"id": "a1", "prefs": {"p1": 1}}], ` + progs + `}`,
			`line 1, column 39 (byte 38): applicants[0].prefs: want an array, got object`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1", ["p2"]]}], ` + progs + `}`,
			`line 1, column 46 (byte 45): applicants[0].prefs[1]: want a program id string, got array`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1"]}], "programs": [{"id": "p1", "capacity": 1, "prefs": [["a1", ["a1"]]]}]}`,
			`line 1, column 107 (byte 106): programs[0].prefs[0]: tie groups cannot nest`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1"]}], "programs": [{"id": "p1", "capacity": 1, "prefs": ["a1", []]}]}`,
			`line 1, column 106 (byte 105): programs[0].prefs[1]: empty tie group`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1"]}], "programs": [{"id": "p1", "capacity": 1, "prefs": ["a1", null]}]}`,
			`line 1, column 106 (byte 105): programs[0].prefs[1]: want an applicant id string or a tie group, got null`},
		{"{\"applicants\": [{\"id\": \"a1\", \"prefs\": [\"p1\", \"p\xff\"]}], " + progs + `}`,
			`line 1, column 48 (byte 47): invalid UTF-8 in string`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1", "p1"]}], ` + progs + `}`,
			`line 1, column 46 (byte 45): applicants[0].prefs: program "p1" listed twice`},
		{`{"applicants": [{"id": "a1", "prefs": ["p1"], "categories": ["w", 1]}], ` + progs + `}`,
			`line 1, column 67 (byte 66): applicants[0].categories[1]: want a category string, got number`},
	} {
		_, _, fastErr, exactErr := passes([]byte(tc.in))
		if fastErr == nil || exactErr == nil {
			t.Fatalf("%s: fast pass error %v, exact pass error %v; want both to fail", tc.in, fastErr, exactErr)
		}
		_, err := Decode([]byte(tc.in))
		if err == nil || err.Error() != tc.want || err.Error() != exactErr.Error() {
			t.Errorf("Decode(%s) error = %v, want %s (the exact pass: %v)", tc.in, err, tc.want, exactErr)
		}
		if errors.Is(err, errRetry) {
			t.Errorf("Decode(%s) leaked the fast pass's retry", tc.in)
		}
	}
}

// FuzzDecodeFastPass: whatever the input, a fast-pass result is the exact pass's result,
// and Decode fails exactly as the exact pass does.
func FuzzDecodeFastPass(f *testing.F) {
	for _, s := range []string{
		`{"applicants": [{"id": "a1", "prefs": ["p2", "p1"]}], "programs": [{"id": "p1", "capacity": 2, "prefs": ["a1", ["a2", "a3"]]}]}`,
		`{"applicants": [{"id": "a\"1", "prefs": [ "p\u00e9" ,"p1"], "categories": ["w", "x\\y"]}], "programs": [{"id": "p\u00e9", "capacity": 1, "prefs": [["a\"1"]]}, {"id": "p1", "capacity": 0, "prefs": null}]}`,
		`{"applicants": [{"id": "a1", "prefs": ["p1", 5, }]}]}`,
		`{"programs": [{"id": "p1", "capacity": 1, "prefs": [[], ["a1", ["a2"]]]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, exact, fastErr, exactErr := passes(data)
		if fastErr == nil && (exactErr != nil || !sameInstance(fast, exact)) {
			t.Fatalf("fast pass gave %+v on %q; exact pass %+v, error %v", fast, data, exact, exactErr)
		}
		got, err := Decode(data)
		if (err == nil) != (exactErr == nil) || (err != nil && err.Error() != exactErr.Error()) ||
			(err == nil && !sameInstance(got, exact)) {
			t.Fatalf("Decode(%q) = %+v, %v; exact pass %+v, %v", data, got, err, exact, exactErr)
		}
	})
}
