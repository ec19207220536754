package stats

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2027, time.December, 15, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// people makes n records alike but for the home region.
func people(n int, dir, kind, home, accepted, start, status string) []Record {
	out := make([]Record, n)
	for i := range out {
		out[i] = Record{Direction: dir, Kind: kind, Field: "1.2", HostRegion: "Tokyo", HomeRegion: home,
			AcceptedAt: day(accepted), Start: day(start), Status: status}
	}
	return out
}

func mustQuery(t *testing.T, groupBy, from, to string) Query {
	t.Helper()
	q, errs := ParseQuery(groupBy, from, to, now)
	if len(errs) > 0 {
		t.Fatalf("ParseQuery(%q, %q, %q): %v", groupBy, from, to, errs)
	}
	return q
}

func cells(tb Table, key, measure string) string {
	if key == "total" {
		return tb.Totals.Counts[measure].String()
	}
	for _, g := range tb.Groups {
		if g.Key == key {
			return g.Counts[measure].String()
		}
	}
	return "absent"
}

// The acceptance: 12 accepted offers, IN_JP, from two Indian
// states of 6 each.
func TestComputeAcceptanceJourney(t *testing.T) {
	recs := append(people(6, "IN_JP", "fellowship", "Karnataka", "2027-03-10", "2028-04-01", "preparing"),
		people(6, "IN_JP", "fellowship", "Tamil Nadu", "2027-03-11", "2028-04-01", "preparing")...)
	byDir := Compute(recs, mustQuery(t, "direction", "", ""), now)
	if got := cells(byDir, "IN_JP", OffersAccepted); got != "12" {
		t.Errorf("direction IN_JP offersAccepted = %s, want 12", got)
	}
	if got := cells(byDir, "IN_JP", PlacementsStarted); got != Suppressed {
		t.Errorf("direction IN_JP placementsStarted = %s, want <10 (none started)", got)
	}
	byHome := Compute(recs, mustQuery(t, "homeRegion", "", ""), now)
	for _, k := range []string{"Karnataka", "Tamil Nadu"} {
		if got := cells(byHome, k, OffersAccepted); got != Suppressed {
			t.Errorf("homeRegion %s = %s, want <10", k, got)
		}
	}
	if got := cells(byHome, "total", OffersAccepted); got != "12" {
		t.Errorf("homeRegion total = %s, want 12", got)
	}
	if byHome.Target.Counted.String() != "12" || byHome.Target.People != 500_000 {
		t.Errorf("target = %+v, want 12 of 500,000", byHome.Target)
	}
}

func TestComputeComplementarySuppression(t *testing.T) {
	var recs []Record
	recs = append(recs, people(6, "IN_JP", "exchange", "Assam", "2027-01-05", "2027-04-01", "active")...)
	recs = append(recs, people(12, "IN_JP", "exchange", "Bihar", "2027-01-05", "2027-04-01", "active")...)
	recs = append(recs, people(15, "IN_JP", "exchange", "Goa", "2027-01-05", "2027-04-01", "active")...)
	tb := Compute(recs, mustQuery(t, "homeRegion", "2027-01", "2027-12"), now)
	want := map[string]string{"Assam": Suppressed, "Bihar": Hidden, "Goa": "15", "total": "33"}
	for k, w := range want {
		if got := cells(tb, k, OffersAccepted); got != w {
			t.Errorf("%s offersAccepted = %s, want %s", k, got, w)
		}
	}
	// Two cells of 9 add up to 18 in one way only.
	recs = append(people(9, "IN_JP", "exchange", "Assam", "2027-01-05", "2027-04-01", "active"),
		people(9, "IN_JP", "exchange", "Bihar", "2027-01-05", "2027-04-01", "active")...)
	recs = append(recs, people(20, "IN_JP", "exchange", "Goa", "2027-01-05", "2027-04-01", "active")...)
	tb = Compute(recs, mustQuery(t, "homeRegion", "2027-01", "2027-12"), now)
	if got := cells(tb, "Goa", OffersAccepted); got != Hidden {
		t.Errorf("9+9 beside 20: Goa = %s, want hidden so 9 and 9 cannot be pinned", got)
	}
}

// feasible lists, for a column as published, the values a reader can
// still believe for each "<10" cell: an independent brute force over the
// markers' promises (0–9 for "<10", 10 up to the total for "suppressed").
func feasible(tb Table, m string) map[string]map[int]bool {
	total := tb.Totals.Counts[m]
	if !total.Shown() {
		return nil
	}
	rest := total.Value()
	var unknown []Row
	for _, g := range tb.Groups {
		if c := g.Counts[m]; c.Shown() {
			rest -= c.Value()
		} else {
			unknown = append(unknown, g)
		}
	}
	out := map[string]map[int]bool{}
	var walk func(i, sum int, vals []int)
	walk = func(i, sum int, vals []int) {
		if sum > rest {
			return
		}
		if i == len(unknown) {
			if sum == rest {
				for j, g := range unknown {
					if g.Counts[m].Marker() == Suppressed {
						if out[g.Key] == nil {
							out[g.Key] = map[int]bool{}
						}
						out[g.Key][vals[j]] = true
					}
				}
			}
			return
		}
		lo, hi := 0, Threshold-1
		if unknown[i].Counts[m].Marker() == Hidden {
			lo, hi = Threshold, rest
		}
		for v := lo; v <= hi; v++ {
			walk(i+1, sum+v, append(vals, v))
		}
	}
	walk(0, 0, nil)
	return out
}

// TestComputeNoSuppressedCellCanBeComputed checks random tables: every
// shown count is at least 10, and no "<10" cell can be worked out from
// the total and the other cells (unless it is 0).
func TestComputeNoSuppressedCellCanBeComputed(t *testing.T) {
	regions := []string{"Assam", "Bihar", "Goa", "Kerala", ""}
	statuses := []string{"preparing", "active", "completed", "ended"}
	rng := rand.New(rand.NewPCG(20, 26))
	for trial := range 300 {
		var recs []Record
		for _, r := range regions[:1+rng.IntN(len(regions))] {
			n := rng.IntN(25)
			for range n {
				st := statuses[rng.IntN(len(statuses))]
				rec := Record{Direction: "IN_JP", Kind: "exchange", HomeRegion: r, AcceptedAt: day("2027-02-01"),
					Start: day("2027-04-01"), Status: st}
				if st == "completed" || st == "ended" {
					rec.ClosedAt = day("2027-09-30")
				}
				recs = append(recs, rec)
			}
		}
		tb := Compute(recs, mustQuery(t, "homeRegion", "2027-01", "2027-12"), now)
		truth := map[string]map[string]int{}
		for _, r := range recs {
			k := r.HomeRegion
			if k == "" {
				k = Unknown
			}
			if truth[k] == nil {
				truth[k] = map[string]int{}
			}
			for i, at := range r.events(now) {
				if !at.IsZero() {
					truth[k][Measures[i]]++
				}
			}
		}
		for _, m := range Measures {
			for _, g := range append(append([]Row(nil), tb.Groups...), tb.Totals) {
				if c := g.Counts[m]; c.Shown() && c.Value() < Threshold {
					t.Fatalf("trial %d: %s %s shows %d", trial, g.Key, m, c.Value())
				}
			}
			for key, vals := range feasible(tb, m) {
				if len(vals) == 1 && truth[key][m] != 0 {
					t.Fatalf("trial %d: %s %s can be computed back (%v) from %+v", trial, key, m, vals, tb)
				}
				if !vals[truth[key][m]] {
					t.Fatalf("trial %d: %s %s true value %d not among %v: the markers lie", trial, key, m, truth[key][m], vals)
				}
			}
		}
	}
}

func TestComputeCountsEachMeasureAtItsOwnDate(t *testing.T) {
	var recs []Record
	for i := range 10 {
		recs = append(recs, Record{Direction: "JP_IN", Kind: "internship", AcceptedAt: day("2027-01-10"), Start: day("2027-03-01"),
			Status: "completed", ClosedAt: day("2027-05-31")})
		_ = i
	}
	tb := Compute(recs, mustQuery(t, "month", "2027-01", "2027-06"), now)
	if got := cells(tb, "2027-01", OffersAccepted); got != "10" {
		t.Errorf("2027-01 accepted = %s, want 10", got)
	}
	if got := cells(tb, "2027-03", PlacementsStarted); got != "10" {
		t.Errorf("2027-03 started = %s, want 10", got)
	}
	if got := cells(tb, "2027-05", PlacementsCompleted); got != "10" {
		t.Errorf("2027-05 completed = %s, want 10", got)
	}
	// A window of February only sees none of it.
	tb = Compute(recs, mustQuery(t, "month", "2027-02", "2027-02"), now)
	if len(tb.Groups) != 0 || tb.Totals.Counts[OffersAccepted].String() != Suppressed {
		t.Errorf("February window = %+v, want no groups and a suppressed total", tb)
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		groupBy, from, to string
		field, code       string
		wantFrom, wantTo  string
	}{
		{groupBy: "", wantFrom: "2025-08", wantTo: "2027-12"},
		{groupBy: "month", from: "2027-03-17", to: "2027-05", wantFrom: "2027-03", wantTo: "2027-05"},
		{groupBy: "country", field: "groupBy", code: "one_of"},
		{groupBy: "kind", from: "March", field: "from", code: "format"},
		{groupBy: "kind", from: "2027-05", to: "2027-04", field: "to", code: "date_order"},
		{groupBy: "kind", from: "2000-01", to: "2027-04", field: "to", code: "date_too_far"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s", tc.groupBy, tc.from, tc.to), func(t *testing.T) {
			q, errs := ParseQuery(tc.groupBy, tc.from, tc.to, now)
			if tc.field != "" {
				if len(errs) != 1 || errs[0].Field != tc.field || string(errs[0].Code) != tc.code || errs[0].Reason == "" {
					t.Fatalf("ParseQuery errors = %+v, want one on %s with code %s", errs, tc.field, tc.code)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("ParseQuery errors = %+v", errs)
			}
			if f, to := q.From.Format("2006-01"), q.To.Format("2006-01"); f != tc.wantFrom || to != tc.wantTo {
				t.Errorf("window %s–%s, want %s–%s", f, to, tc.wantFrom, tc.wantTo)
			}
		})
	}
}

func TestTableJSONAndCSV(t *testing.T) {
	recs := append(people(11, "IN_JP", "exchange", "=HYPERLINK(\"http://x\")", "2027-01-05", "2027-04-01", "active"),
		people(3, "IN_JP", "exchange", "Goa", "2027-01-05", "2027-04-01", "active")...)
	tb := Compute(recs, mustQuery(t, "homeRegion", "2027-01", "2027-12"), now)
	raw, err := json.Marshal(tb)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Groups []struct {
			Key    string          `json:"key"`
			Counts map[string]Cell `json:"counts"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Groups) != 2 || back.Groups[0].Counts[OffersAccepted].String() != Hidden || back.Groups[1].Counts[OffersAccepted].String() != Suppressed {
		t.Errorf("JSON round trip lost the markers: %s", raw)
	}
	if !strings.Contains(string(raw), `"offersAccepted":14`) {
		t.Errorf("JSON total not a number: %s", raw)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tb); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "homeRegion,offersAccepted,placementsStarted,placementsCompleted,placementsEndedEarly" {
		t.Errorf("header = %s", got)
	}
	if rows[1][0] != `'=HYPERLINK("http://x")` {
		t.Errorf("formula-like key written as %q, want it escaped", rows[1][0])
	}
	if last := rows[len(rows)-1]; last[0] != "total" || last[1] != "14" {
		t.Errorf("totals row = %v, want total 14", last)
	}
	if rows[2][1] != Suppressed {
		t.Errorf("Goa row = %v, want <10", rows[2])
	}
}

func TestNoGroupsIsAnEmptyList(t *testing.T) {
	q, errs := ParseQuery("direction", "", "", now)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	raw, err := json.Marshal(Compute(nil, q, now))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"groups":[]`) {
		t.Errorf("a table without records = %s, want \"groups\": []", raw)
	}
}
