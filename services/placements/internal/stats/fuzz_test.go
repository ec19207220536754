package stats

import (
	"slices"
	"testing"
)

// FuzzParseQuery: whatever the query string holds, ParseQuery either
// names the fields at fault or gives a window of whole months, from not
// after to, no longer than MaxMonths, grouped by a known grouping.
func FuzzParseQuery(f *testing.F) {
	for _, s := range [][3]string{{"", "", ""}, {"month", "2027-03-17", "2027-05"}, {"kind", "March", ""}, {"x", "2027-13", "2027-00-01"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, groupBy, from, to string) {
		q, errs := ParseQuery(groupBy, from, to, now)
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Field == "" || e.Code == "" || e.Reason == "" {
					t.Fatalf("field error without field, code or reason: %+v", e)
				}
			}
			return
		}
		if !slices.Contains(GroupBys, q.GroupBy) || q.From.Day() != 1 || q.To.Day() != 1 || q.To.Before(q.From) ||
			monthsBetween(q.From, q.To) >= MaxMonths {
			t.Fatalf("ParseQuery(%q, %q, %q) = %+v", groupBy, from, to, q)
		}
	})
}
