package placements

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/swaggest/jsonschema-go"
)

// Markers written in place of a count in the public statistics (DESIGN.md
// §6): StatsSuppressed for a count under 10; StatsHidden for a larger count
// hidden so that a suppressed one cannot be computed back from the totals.
const (
	StatsSuppressed = "<10"
	StatsHidden     = "suppressed"
)

// Groupings of GET /stats/exchanges (its groupBy parameter).
const (
	StatsByDirection  = "direction"
	StatsByKind       = "kind"
	StatsByField      = "field"
	StatsByHostRegion = "hostRegion"
	StatsByHomeRegion = "homeRegion"
	StatsByMonth      = "month"
)

// StatsGroupBys lists the groupings in the order pages offer them.
var StatsGroupBys = []string{StatsByDirection, StatsByKind, StatsByField, StatsByHostRegion, StatsByHomeRegion, StatsByMonth}

// Measures of the statistics, in column order.
const (
	StatsOffersAccepted       = "offersAccepted"
	StatsPlacementsStarted    = "placementsStarted"
	StatsPlacementsCompleted  = "placementsCompleted"
	StatsPlacementsEndedEarly = "placementsEndedEarly"
)

// StatsMeasures lists the measures in column order.
var StatsMeasures = []string{StatsOffersAccepted, StatsPlacementsStarted, StatsPlacementsCompleted, StatsPlacementsEndedEarly}

// StatsUnknown is the group of placements without a value for the
// grouping (an erased participant's home region, say).
const StatsUnknown = "unknown"

// StatsCell is a published count: a number, or a marker in its place. In
// JSON it is a number or one of the marker strings.
type StatsCell struct {
	n      int
	marker string
}

// Count is a cell shown as its number.
func Count(n int) StatsCell { return StatsCell{n: n} }

// SuppressedCell is a count under 10.
func SuppressedCell() StatsCell { return StatsCell{marker: StatsSuppressed} }

// HiddenCell is a count hidden to protect a suppressed one.
func HiddenCell() StatsCell { return StatsCell{marker: StatsHidden} }

// Shown reports whether the cell is published as a number.
func (c StatsCell) Shown() bool { return c.marker == "" }

// Value is the number, 0 when not shown.
func (c StatsCell) Value() int { return c.n }

// Marker is StatsSuppressed, StatsHidden or "" when shown.
func (c StatsCell) Marker() string { return c.marker }

// String is the cell as CSV and pages write it.
func (c StatsCell) String() string {
	if c.Shown() {
		return strconv.Itoa(c.n)
	}
	return c.marker
}

// MarshalJSON writes a number, or the marker as a string.
func (c StatsCell) MarshalJSON() ([]byte, error) {
	if c.Shown() {
		return []byte(strconv.Itoa(c.n)), nil
	}
	return []byte(`"` + c.marker + `"`), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *StatsCell) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != StatsSuppressed && s != StatsHidden {
			return fmt.Errorf("stats cell %q: want a number, %q or %q", s, StatsSuppressed, StatsHidden)
		}
		*c = StatsCell{marker: s}
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("stats cell: %w", err)
	}
	*c = StatsCell{n: n}
	return nil
}

// StatsRow is one group (or the totals) and its counts by measure.
type StatsRow struct {
	Key    string               `json:"key"`
	Counts map[string]StatsCell `json:"counts"`
}

// ExchangeStats is the answer of GET /stats/exchanges.
type ExchangeStats struct {
	GroupBy string `json:"groupBy"`
	// From and To are the window's first and last month ("2027-04"),
	// both included.
	From string `json:"from"`
	To   string `json:"to"`
	// Measures name the counts, in column order: offersAccepted,
	// placementsStarted, placementsCompleted, placementsEndedEarly.
	Measures []string   `json:"measures"`
	Groups   []StatsRow `json:"groups"`
	Totals   StatsRow   `json:"totals"`
	// Threshold is the smallest count shown as a number (10).
	Threshold int         `json:"threshold"`
	Target    StatsTarget `json:"target"`
}

// StatsTarget is the platform's count against the India–Japan Action
// Plan's two-way target: offers accepted since Since, all directions.
// Share is Counted / People (0 when Counted is not shown).
type StatsTarget struct {
	People  int       `json:"people"`
	Since   string    `json:"since"`
	Years   int       `json:"years"`
	Counted StatsCell `json:"counted"`
	Share   float64   `json:"share"`
	Source  string    `json:"source"`
	Name    string    `json:"name"`
}

// JSONSchema describes a cell for the OpenAPI document: a whole number
// (10 or more), or one of the two markers.
func (StatsCell) JSONSchema() (jsonschema.Schema, error) {
	var count, marker jsonschema.Schema
	count.WithType(jsonschema.Integer.Type()).WithMinimum(0)
	marker.WithType(jsonschema.String.Type()).WithEnum(StatsSuppressed, StatsHidden)
	var s jsonschema.Schema
	s.WithDescription(`A count of people: a number when it is 10 or more; "<10" when under 10; "suppressed" when it is 10 or more but hidden so that a "<10" cell cannot be computed back from the totals.`)
	s.OneOf = []jsonschema.SchemaOrBool{count.ToSchemaOrBool(), marker.ToSchemaOrBool()}
	return s, nil
}
