package stats

import (
	"cmp"
	"slices"
	"time"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// Threshold is the smallest count published as a number.
const Threshold = 10

// Cell markers: Suppressed for a count under Threshold, Hidden for a
// larger count hidden so that a suppressed cell of its column cannot be
// computed back.
const (
	Suppressed = apiplacements.StatsSuppressed
	Hidden     = apiplacements.StatsHidden
)

// Groupings, measures and the unknown group, as the API names them.
const (
	ByDirection  = apiplacements.StatsByDirection
	ByKind       = apiplacements.StatsByKind
	ByField      = apiplacements.StatsByField
	ByHostRegion = apiplacements.StatsByHostRegion
	ByHomeRegion = apiplacements.StatsByHomeRegion
	ByMonth      = apiplacements.StatsByMonth

	OffersAccepted       = apiplacements.StatsOffersAccepted
	PlacementsStarted    = apiplacements.StatsPlacementsStarted
	PlacementsCompleted  = apiplacements.StatsPlacementsCompleted
	PlacementsEndedEarly = apiplacements.StatsPlacementsEndedEarly

	Unknown = apiplacements.StatsUnknown
)

// GroupBys and Measures list the groupings and the columns.
var (
	GroupBys = apiplacements.StatsGroupBys
	Measures = apiplacements.StatsMeasures
)

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

// events returns, per measure (in Measures order), the time the record
// counts at; zero where it does not count. A placement has started once it
// is active or completed, once its start date has passed while preparing,
// or when it ended on or after its start date.
func (r Record) events(now time.Time) [4]time.Time {
	var ev [4]time.Time
	ev[0] = r.AcceptedAt
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
		ev[1] = r.Start
		if r.Start.IsZero() {
			ev[1] = r.AcceptedAt
		}
	}
	switch r.Status {
	case "completed":
		ev[2] = r.ClosedAt
	case "ended":
		ev[3] = r.ClosedAt
	}
	return ev
}

// Cell, Row, Table and Target are the public shapes (shared/api/placements).
type (
	Cell   = apiplacements.StatsCell
	Row    = apiplacements.StatsRow
	Table  = apiplacements.ExchangeStats
	Target = apiplacements.StatsTarget
)

// Compute counts records into a table, then suppresses. Groups come in
// order of key (months in calendar order).
func Compute(records []Record, q Query, now time.Time) Table {
	raw := map[string]*[4]int{}
	var total [4]int
	for _, r := range records {
		for m, at := range r.events(now) {
			if at.IsZero() || !q.contains(at) {
				continue
			}
			key := q.key(r, at)
			c := raw[key]
			if c == nil {
				c = new([4]int)
				raw[key] = c
			}
			c[m]++
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
		Measures: slices.Clone(Measures), Threshold: Threshold, Groups: []Row{}} // a list, never null
	for _, k := range keys {
		t.Groups = append(t.Groups, Row{Key: k, Counts: counts(raw[k])})
	}
	t.Totals = Row{Key: "total", Counts: counts(&total)}
	suppress(&t, raw, &total)
	t.Target = target(records, now)
	return t
}

func counts(c *[4]int) map[string]Cell {
	out := make(map[string]Cell, len(Measures))
	for i, name := range Measures {
		out[name] = apiplacements.Count(c[i])
	}
	return out
}

// suppress applies primary then complementary suppression, column by
// column (see the package comment).
func suppress(t *Table, raw map[string]*[4]int, total *[4]int) {
	for i, m := range Measures {
		if total[i] < Threshold {
			t.Totals.Counts[m] = apiplacements.SuppressedCell()
		}
		for _, g := range t.Groups {
			if raw[g.Key][i] < Threshold {
				g.Counts[m] = apiplacements.SuppressedCell()
			}
		}
		for t.Totals.Counts[m].Shown() && exposed(t, m, total[i]) {
			// Hide the smallest shown cell of the column as well.
			best := -1
			for i, g := range t.Groups {
				if c := g.Counts[m]; c.Shown() && (best < 0 || c.Value() < t.Groups[best].Counts[m].Value()) {
					best = i
				}
			}
			if best < 0 {
				// Every group is under 10 and pinned (all exactly 9):
				// only the total can go.
				t.Totals.Counts[m] = apiplacements.HiddenCell()
				break
			}
			t.Groups[best].Counts[m] = apiplacements.HiddenCell()
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
		switch c := g.Counts[m]; {
		case c.Shown():
			rest -= c.Value()
		case c.Marker() == Suppressed:
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
