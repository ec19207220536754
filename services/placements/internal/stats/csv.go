package stats

import (
	"io"

	"github.com/talentbridge/platform/shared/csvexport"
)

// WriteCSV writes the table for GET /stats/exchanges.csv: a header row
// (the grouping, then the measures), one row per group, then the totals.
// Suppressed cells are written as their markers; every cell goes through
// csvexport, so a group key that looks like a formula is escaped.
func WriteCSV(w io.Writer, t Table) error {
	out := csvexport.NewWriter(w)
	header := append([]string{t.GroupBy}, t.Measures...)
	if err := out.Write(header); err != nil {
		return err
	}
	for _, r := range append(append([]Row(nil), t.Groups...), t.Totals) {
		rec := []string{r.Key}
		for _, m := range t.Measures {
			rec = append(rec, r.Counts[m].String())
		}
		if err := out.Write(rec); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}
