package stats

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Threshold is the smallest count published as a number.
const Threshold = 10

// Cell markers.
const (
	// Suppressed marks a count under Threshold.
	Suppressed = "<10"
	// Hidden marks a count of Threshold or more, hidden so that a
	// suppressed cell of its column cannot be computed back.
	Hidden = "suppressed"
)

// Groupings (the groupBy parameter).
const (
	ByDirection  = "direction"
	ByKind       = "kind"
	ByField      = "field"
	ByHostRegion = "hostRegion"
	ByHomeRegion = "homeRegion"
	ByMonth      = "month"
)

// GroupBys lists the groupings in the order the page shows them.
var GroupBys = []string{ByDirection, ByKind, ByField, ByHostRegion, ByHomeRegion, ByMonth}

// Measures, in column order.
const (
	OffersAccepted       = "offersAccepted"
	PlacementsStarted    = "placementsStarted"
	PlacementsCompleted  = "placementsCompleted"
	PlacementsEndedEarly = "placementsEndedEarly"
)

// Measures lists the columns.
var Measures = []string{OffersAccepted, PlacementsStarted, PlacementsCompleted, PlacementsEndedEarly}

// Unknown is the group of records without a value (an erased participant's
// home region, say).
const Unknown = "unknown"

// Record is what the statistics need of one placement.
type Record struct {
	Direction, Kind, Field, HostRegion, HomeRegion string
	// AcceptedAt is when the offer was accepted (the placement created).
	AcceptedAt time.Time
	// Start is the program's start date.
	Start time.Time
	// Status is preparing, active, completed or ended.
	Status string
	// ClosedAt is when it was completed or ended; zero while open.
	ClosedAt time.Time
}

// events returns, per measure, the time the record counts at; zero when it
// does not count. A placement has started once it is active or completed,
// once its start date has passed while preparing, or when it ended on or
// after its start date.
func (r Record) events(now time.Time) map[string]time.Time {
	ev := map[string]time.Time{OffersAccepted: r.AcceptedAt}
	started := false
	switch r.Status {
	case "active", "completed":
		started = true
	case "preparing":
		started = !r.Start.IsZero() && !r.Start.After(now)
	case "ended":
		started = !r.Start.IsZero() && !r.ClosedAt.Before(r.Start)
	}
	if started {
		ev[PlacementsStarted] = r.Start
		if r.Start.IsZero() {
			ev[PlacementsStarted] = r.AcceptedAt
		}
	}
	switch r.Status {
	case "completed":
		ev[PlacementsCompleted] = r.ClosedAt
	case "ended":
		ev[PlacementsEndedEarly] = r.ClosedAt
	}
	return ev
}

// Cell is a published count: a number, or a marker in its place.
type Cell struct {
	n      int
	marker string
}

// Count is a cell shown as its number.
func Count(n int) Cell { return Cell{n: n} }

// Shown reports whether the cell is published as a number.
func (c Cell) Shown() bool { return c.marker == "" }

// Value is the number (0 when not shown).
func (c Cell) Value() int {
	if !c.Shown() {
		return 0
	}
	return c.n
}

// String is the cell as CSV and the page write it.
func (c Cell) String() string {
	if c.Shown() {
		return strconv.Itoa(c.n)
	}
	return c.marker
}

// MarshalJSON writes a number, or the marker as a string.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.Shown() {
		return []byte(strconv.Itoa(c.n)), nil
	}
	return json.Marshal(c.marker)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Cell) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != Suppressed && s != Hidden {
			return fmt.Errorf("stats cell %q: want a number, %q or %q", s, Suppressed, Hidden)
		}
		*c = Cell{marker: s}
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("stats cell: %w", err)
	}
	*c = Cell{n: n}
	return nil
}

// Row is one group and its cells, one per measure.
type Row struct {
	Key   string          `json:"key"`
	Cells map[string]Cell `json:"counts"`
}

// Table is the answer of GET /stats/exchanges.
type Table struct {
	GroupBy string `json:"groupBy"`
	// From and To are the window: first and last month, inclusive.
	From     string   `json:"from"`
	To       string   `json:"to"`
	Measures []string `json:"measures"`
	Groups   []Row    `json:"groups"`
	Totals   Row      `json:"totals"`
	// Threshold and markers, so a reader knows what they mean.
	Threshold int    `json:"threshold"`
	Target    Target `json:"target"`
}

// Compute counts records into a table, then suppresses. Groups come in
// order of key (months in calendar order).
func Compute(records []Record, q Query, now time.Time) Table {
	raw := map[string]map[string]int{}
	total := map[string]int{}
	for _, r := range records {
		for m, at := range r.events(now) {
			if at.IsZero() || !q.contains(at) {
				continue
			}
			key := q.key(r, m, at)
			if raw[key] == nil {
				raw[key] = map[string]int{}
			}
			raw[key][m]++
			total[m]++
		}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		// Unknown last; the rest by key.
		if (a == Unknown) != (b == Unknown) {
			if a == Unknown {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	t := Table{GroupBy: q.GroupBy, From: q.From.Format("2006-01"), To: q.To.Format("2006-01"),
		Measures: slices.Clone(Measures), Threshold: Threshold}
	for _, k := range keys {
		t.Groups = append(t.Groups, Row{Key: k, Cells: counts(raw[k])})
	}
	t.Totals = Row{Key: "total", Cells: counts(total)}
	suppress(&t, raw, total)
	t.Target = target(records, now)
	return t
}

func counts(m map[string]int) map[string]Cell {
	out := make(map[string]Cell, len(Measures))
	for _, name := range Measures {
		out[name] = Count(m[name])
	}
	return out
}

// suppress applies primary then complementary suppression, column by
// column (see the package comment).
func suppress(t *Table, raw map[string]map[string]int, total map[string]int) {
	for _, m := range Measures {
		if total[m] < Threshold {
			t.Totals.Cells[m] = Cell{marker: Suppressed}
		}
		for _, g := range t.Groups {
			if raw[g.Key][m] < Threshold {
				g.Cells[m] = Cell{marker: Suppressed}
			}
		}
		for t.Totals.Cells[m].Shown() && exposed(t, m, total[m]) {
			// Hide the smallest shown cell of the column as well.
			best := -1
			for i, g := range t.Groups {
				if c := g.Cells[m]; c.Shown() && (best < 0 || c.n < t.Groups[best].Cells[m].n) {
					best = i
				}
			}
			if best < 0 {
				// Every group is under 10 and pinned (all exactly 9):
				// only the total can go.
				t.Totals.Cells[m] = Cell{n: total[m], marker: Hidden}
				break
			}
			t.Groups[best].Cells[m] = Cell{n: t.Groups[best].Cells[m].n, marker: Hidden}
		}
	}
}

// exposed reports whether a reader who knows the column's total, its shown
// cells and what the markers promise (a "<10" cell holds 0–9, a
// "suppressed" one 10 or more) can pin some "<10" cell to a single value
// other than 0 (a zero names no one). The unknown cells add up to the
// total minus the shown ones, so each "<10" cell lies in an interval;
// it is pinned when the interval has one point.
func exposed(t *Table, m string, total int) bool {
	rest, small, hidden := total, 0, 0
	for _, g := range t.Groups {
		switch c := g.Cells[m]; {
		case c.Shown():
			rest -= c.n
		case c.marker == Suppressed:
			small++
		default:
			hidden++
		}
	}
	if small == 0 {
		return false
	}
	// One "<10" cell against the others: they hold at least 10 per
	// hidden cell and at most 9 per other small cell, unbounded when any
	// is hidden.
	othersMin := Threshold * hidden
	hi := min(Threshold-1, rest-othersMin)
	lo := 0
	if hidden == 0 {
		lo = max(0, rest-(Threshold-1)*(small-1))
	}
	return lo == hi && hi > 0
}
