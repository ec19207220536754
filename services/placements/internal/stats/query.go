package stats

import (
	"slices"
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Query is a validated request: a grouping and a window of whole months,
// From's first day to the end of To's month (UTC).
type Query struct {
	GroupBy  string
	From, To time.Time
}

// FieldError is one broken parameter, with its stable code
// (shared/fielderr: one_of, format, date_order, date_too_far).
type FieldError = fielderr.FieldError

// Window limits.
var (
	// Epoch is the first month counted: the Action Plan's start.
	Epoch = time.Date(2025, time.August, 1, 0, 0, 0, 0, time.UTC)
	// MaxMonths is the longest window.
	MaxMonths = 120
)

// ParseQuery reads groupBy, from and to. groupBy defaults to direction,
// from to Epoch and to to now's month. Dates may be given as YYYY-MM or
// YYYY-MM-DD; a day is widened to its whole month, so windows are whole
// months.
func ParseQuery(groupBy, from, to string, now time.Time) (Query, []FieldError) {
	var errs []FieldError
	q := Query{GroupBy: groupBy}
	if q.GroupBy == "" {
		q.GroupBy = ByDirection
	} else if !slices.Contains(GroupBys, q.GroupBy) {
		errs = append(errs, fielderr.NewOneOf("groupBy", GroupBys))
	}
	month := func(field, s string, def time.Time) time.Time {
		if s == "" {
			return def
		}
		for _, layout := range []string{"2006-01", time.DateOnly} {
			if t, err := time.Parse(layout, s); err == nil {
				return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
			}
		}
		errs = append(errs, fielderr.NewFormat(field, "date").Because("must be a month (YYYY-MM) or a date (YYYY-MM-DD)"))
		return def
	}
	nowMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	q.From = month("from", from, Epoch)
	q.To = month("to", to, nowMonth)
	if len(errs) == 0 {
		switch {
		case q.To.Before(q.From):
			errs = append(errs, fielderr.NewDateOrder("to", "from").Because("must not be before from"))
		case monthsBetween(q.From, q.To) >= MaxMonths:
			errs = append(errs, fielderr.NewDateTooFar("to", MaxMonths*31).Because("the window may span at most %d months", MaxMonths))
		}
	}
	return q, errs
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// contains reports whether t falls in the window.
func (q Query) contains(t time.Time) bool {
	return !t.Before(q.From) && t.Before(q.To.AddDate(0, 1, 0))
}

// key is the group a record's event falls in.
func (q Query) key(r Record, at time.Time) string {
	var k string
	switch q.GroupBy {
	case ByDirection:
		k = r.Direction
	case ByKind:
		k = r.Kind
	case ByField:
		k = r.Field
	case ByHostRegion:
		k = r.HostRegion
	case ByHomeRegion:
		k = r.HomeRegion
	case ByMonth:
		k = at.UTC().Format("2006-01")
	}
	if k == "" {
		return Unknown
	}
	return k
}
