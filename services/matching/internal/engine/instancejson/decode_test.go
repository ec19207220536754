package instancejson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// Instances written by Write, ties and notes included, decode to themselves, with Decode
// and with the encoding/json baseline of the benchmarks (decodeEncodingJSON), which must
// agree with Write for the benchmark to compare like with like.
func TestDecodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	checkRoundTrips(t, 300, func() *engine.Instance {
		in := enginetest.Random(r, enginetest.Options{
			Applicants: r.IntN(20), Programs: r.IntN(6), MaxCapacity: 5, ListProb: 0.5, MutualProb: 0.8, TieProb: 0.4,
		})
		in.Seed = 0 // the format does not carry it
		// Exotic ids on some applicants, to exercise escaping both ways.
		for a := range in.Applicants {
			if a%3 == 0 {
				in.Applicants[a].ID = fmt.Sprintf("申請者 \"%d\"\n\\", a)
			}
		}
		for a, app := range in.Applicants {
			for _, p := range app.Prefs {
				if !slices.Contains(in.Programs[p].Prefs, a) && r.IntN(2) == 0 {
					in.Notes = append(in.Notes, engine.Note{Applicant: a, Program: p, Text: "not eligible: 日本語 N3 needed"})
				}
			}
		}
		return in
	}, Decode, decodeEncodingJSON)
}

// checkRoundTrips writes n instances drawn by gen and checks that each decoder reads
// every one back as it was.
func checkRoundTrips(t *testing.T, n int, gen func() *engine.Instance, decoders ...func([]byte) (*engine.Instance, error)) {
	t.Helper()
	for i := range n {
		in := gen()
		var buf bytes.Buffer
		if err := Write(&buf, in); err != nil {
			t.Fatal(err)
		}
		for d, decode := range decoders {
			got, err := decode(buf.Bytes())
			if err != nil {
				t.Fatalf("case %d, decoder %d: decoding %s: %v", i, d, buf.Bytes(), err)
			}
			if !sameInstance(got, in) {
				t.Fatalf("case %d, decoder %d: decoding %s gave %+v, want %+v", i, d, buf.Bytes(), got, in)
			}
		}
	}
}

// sameInstance compares instances, treating nil and empty lists alike.
func sameInstance(x, y *engine.Instance) bool {
	if len(x.Applicants) != len(y.Applicants) || len(x.Programs) != len(y.Programs) ||
		len(x.Notes) != len(y.Notes) || x.Seed != y.Seed {
		return false
	}
	for i := range x.Applicants {
		if x.Applicants[i].ID != y.Applicants[i].ID || !slices.Equal(x.Applicants[i].Prefs, y.Applicants[i].Prefs) ||
			!slices.Equal(x.Applicants[i].Categories, y.Applicants[i].Categories) {
			return false
		}
	}
	for i, p := range x.Programs {
		q := y.Programs[i]
		if p.ID != q.ID || p.Capacity != q.Capacity || !slices.Equal(p.Prefs, q.Prefs) ||
			!slices.Equal(p.Ranks, q.Ranks) || (p.Ranks == nil) != (q.Ranks == nil) ||
			!slices.Equal(p.Reserves, q.Reserves) || p.ReserveOrder != q.ReserveOrder ||
			(p.Target == nil) != (q.Target == nil) || (p.Target != nil && *p.Target != *q.Target) {
			return false
		}
	}
	if !slices.EqualFunc(x.Regions, y.Regions, func(r, s engine.Region) bool {
		return r.ID == s.ID && r.Cap == s.Cap && slices.Equal(r.Programs, s.Programs)
	}) {
		return false
	}
	return slices.Equal(x.Notes, y.Notes)
}

func TestDecodeTieGroups(t *testing.T) {
	in, err := Decode([]byte(`{"applicants": [{"id": "a1"}, {"id": "a2"}, {"id": "a3"}, {"id": "a4"}],
		"programs": [{"id": "p", "capacity": 1, "prefs": ["a1", ["a2", "a3"], ["a4"]]},
		             {"id": "q", "capacity": 1, "prefs": [["a4"], "a3"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.Program{
		{ID: "p", Capacity: 1, Prefs: []int{0, 1, 2, 3}, Ranks: []int{0, 1, 1, 2}},
		{ID: "q", Capacity: 1, Prefs: []int{3, 2}}, // one-member groups are no tie
	}
	if !reflect.DeepEqual(in.Programs, want) {
		t.Errorf("Decode() programs = %+v, want %+v", in.Programs, want)
	}
}

// Ids that agree in their first 8 bytes, or differ only by trailing zero bytes or beyond
// 255 bytes, are still told apart.
func TestSymbolsLookalikes(t *testing.T) {
	long := strings.Repeat("x", 300)
	ids := []string{"a", "a\x00", "a\x00\x00", "abcdefgh", "abcdefgh1", "abcdefgh2", "abcdefgh12", long + "1", long + "2", long + "12", ""}
	s := newSymbols("applicant", 0)
	for round := range 2 {
		for i, id := range ids {
			if got, created := s.intern([]byte(id)); got != int32(i) || created != (round == 0) {
				t.Fatalf("round %d: intern(%q) = %d, %v; want %d", round, id, got, created, i)
			}
		}
	}
}

func TestSymbolsGrow(t *testing.T) {
	s := newSymbols("applicant", 0)
	for i := range 5000 {
		if got, created := s.intern([]byte("id" + strconv.Itoa(i))); got != int32(i) || !created {
			t.Fatalf("intern(id%d) = %d, %v; want %d, true", i, got, created, i)
		}
	}
	for i := range 5000 {
		if got, created := s.intern([]byte("id" + strconv.Itoa(i))); got != int32(i) || created {
			t.Fatalf("intern(id%d) again = %d, want %d", i, got, i)
		}
	}
}

// referenceDecode decodes an instance through encoding/json, applying the format's rules
// in the plainest way, as an oracle for Decode.
func referenceDecode(data []byte) (*engine.Instance, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil || !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the instance")
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, errors.New("not an object")
	}
	list := func(v any) ([]any, error) {
		if v == nil {
			return nil, nil
		}
		l, ok := v.([]any)
		if !ok {
			return nil, errors.New("not an array")
		}
		return l, nil
	}
	str := func(v any) (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", errors.New("not a string")
		}
		return s, nil
	}
	in := &engine.Instance{}
	appIdx, progIdx := map[string]int{}, map[string]int{}
	apps, err := list(obj["applicants"])
	if err != nil {
		return nil, err
	}
	progs, err := list(obj["programs"])
	if err != nil {
		return nil, err
	}
	notes, err := list(obj["notes"])
	if err != nil {
		return nil, err
	}
	var appPrefs [][]string
	for _, v := range apps {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, errors.New("applicant not an object")
		}
		id, err := str(o["id"])
		if err != nil || id == "" {
			return nil, errors.New("bad applicant id")
		}
		if _, dup := appIdx[id]; dup {
			return nil, errors.New("duplicate applicant")
		}
		appIdx[id] = len(in.Applicants)
		in.Applicants = append(in.Applicants, engine.Applicant{ID: id, Prefs: []int{}})
		prefs, err := list(o["prefs"])
		if err != nil {
			return nil, err
		}
		var ps []string
		for _, p := range prefs {
			s, err := str(p)
			if err != nil {
				return nil, err
			}
			ps = append(ps, s)
		}
		appPrefs = append(appPrefs, ps)
		cats, err := list(o["categories"])
		if err != nil {
			return nil, err
		}
		for _, c := range cats {
			s, err := str(c)
			if err != nil {
				return nil, err
			}
			in.Applicants[len(in.Applicants)-1].Categories = append(in.Applicants[len(in.Applicants)-1].Categories, s)
		}
	}
	count := func(v any) (int, error) {
		num, ok := v.(json.Number)
		if !ok || strings.ContainsAny(string(num), ".eE") {
			return 0, errors.New("not a whole number")
		}
		c, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil || c < 0 || c > math.MaxInt32 {
			return 0, errors.New("negative or too large")
		}
		return int(c), nil
	}
	regionIdx := map[string]int{}
	regions, err := list(obj["regions"])
	if err != nil {
		return nil, err
	}
	for _, v := range regions {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, errors.New("region not an object")
		}
		id, err := str(o["id"])
		if err != nil || id == "" {
			return nil, errors.New("bad region id")
		}
		if _, dup := regionIdx[id]; dup {
			return nil, errors.New("duplicate region")
		}
		c, err := count(o["cap"])
		if err != nil {
			return nil, err
		}
		regionIdx[id] = len(in.Regions)
		in.Regions = append(in.Regions, engine.Region{ID: id, Cap: c})
	}
	var progGroups [][][]string
	for _, v := range progs {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, errors.New("program not an object")
		}
		id, err := str(o["id"])
		if err != nil || id == "" {
			return nil, errors.New("bad program id")
		}
		if _, dup := progIdx[id]; dup {
			return nil, errors.New("duplicate program")
		}
		num, ok := o["capacity"].(json.Number)
		if !ok || strings.ContainsAny(string(num), ".eE") {
			return nil, errors.New("bad capacity")
		}
		c, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil || c < 0 || c > math.MaxInt32 {
			return nil, errors.New("bad capacity")
		}
		progIdx[id] = len(in.Programs)
		prog := engine.Program{ID: id, Capacity: int(c)}
		res, err := list(o["reserves"])
		if err != nil {
			return nil, err
		}
		for _, rv := range res {
			ro, ok := rv.(map[string]any)
			if !ok {
				return nil, errors.New("reserve not an object")
			}
			cat, err := str(ro["category"])
			if err != nil || cat == "" {
				return nil, errors.New("bad category")
			}
			seats, err := count(ro["seats"])
			if err != nil {
				return nil, err
			}
			prog.Reserves = append(prog.Reserves, engine.Reserve{Category: cat, Seats: seats})
		}
		if v, ok := o["reserveOrder"]; ok && v != nil {
			switch v {
			case "last":
			case "first":
				prog.ReserveOrder = engine.ReservesFirst
			default:
				return nil, errors.New("bad reserve order")
			}
		}
		if v, ok := o["target"]; ok && v != nil {
			t, err := count(v)
			if err != nil {
				return nil, err
			}
			prog.Target = &t
		}
		if v, ok := o["region"]; ok && v != nil {
			name, err := str(v)
			if err != nil {
				return nil, err
			}
			r, ok := regionIdx[name]
			if !ok {
				return nil, errors.New("unknown region")
			}
			in.Regions[r].Programs = append(in.Regions[r].Programs, len(in.Programs))
		}
		in.Programs = append(in.Programs, prog)
		prefs, err := list(o["prefs"])
		if err != nil {
			return nil, err
		}
		var groups [][]string
		for _, p := range prefs {
			if s, err := str(p); err == nil {
				groups = append(groups, []string{s})
				continue
			}
			g, ok := p.([]any)
			if !ok || len(g) == 0 {
				return nil, errors.New("bad tie group")
			}
			var ss []string
			for _, x := range g {
				s, err := str(x)
				if err != nil {
					return nil, err
				}
				ss = append(ss, s)
			}
			groups = append(groups, ss)
		}
		progGroups = append(progGroups, groups)
	}
	for a, ps := range appPrefs {
		for _, id := range ps {
			p, ok := progIdx[id]
			if !ok || slices.Contains(in.Applicants[a].Prefs, p) {
				return nil, errors.New("unknown or repeated program")
			}
			in.Applicants[a].Prefs = append(in.Applicants[a].Prefs, p)
		}
	}
	for p, groups := range progGroups {
		var idx [][]int
		seen := map[int]bool{}
		for _, g := range groups {
			var ig []int
			for _, id := range g {
				a, ok := appIdx[id]
				if !ok || seen[a] {
					return nil, errors.New("unknown or repeated applicant")
				}
				seen[a] = true
				ig = append(ig, a)
			}
			idx = append(idx, ig)
		}
		in.Programs[p].Prefs, in.Programs[p].Ranks = engine.FlattenTies(idx)
	}
	seenNote := map[[2]int]bool{}
	for _, v := range notes {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, errors.New("note not an object")
		}
		as, err1 := str(o["applicant"])
		ps, err2 := str(o["program"])
		text, err3 := str(o["reason"])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, err
		}
		a, ok1 := appIdx[as]
		p, ok2 := progIdx[ps]
		if !ok1 || !ok2 || seenNote[[2]int{a, p}] {
			return nil, errors.New("bad note")
		}
		seenNote[[2]int{a, p}] = true
		in.Notes = append(in.Notes, engine.Note{Applicant: a, Program: p, Text: text})
	}
	// Reserves beyond capacity and targets beyond a region's cap are the engine's rules.
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return in, nil
}

// The fuzz oracle's own helper: it must tell repeated keys from equal keys in different objects.
func TestHasRepeatedKeys(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`{"a": 1, "a": 2}`, true},
		{`{"x": {"b": [1], "c": {}, "b": 2}}`, true},
		{`[{"a": 1}, [{"q": {"a": 1, "a": 1}}]]`, true},
		{`{"a": {"a": 1}, "b": ["a", "a"]}`, false},
		{`[{"a": 1}, {"a": 2}]`, false},
		{`{"a": "b", "b": "a"}`, false},
	}
	for _, tc := range tests {
		if got := hasRepeatedKeys([]byte(tc.in)); got != tc.want {
			t.Errorf("hasRepeatedKeys(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
