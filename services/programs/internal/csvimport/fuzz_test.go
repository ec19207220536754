package csvimport

import (
	"bytes"
	"testing"
)

// FuzzParse feeds arbitrary files to the importer: it must never panic,
// every problem must say where and what, and rows must come in file order.
// Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte(header + "T,,D,internship,Org,JP,Tokyo,1.2,,1,2027-06-01,2027-08-31,2027-03-31,,,,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := Parse(bytes.NewReader(data))
		if len(rows) > MaxRows {
			t.Fatalf("Parse returned %d rows, more than %d", len(rows), MaxRows)
		}
		for _, e := range errs {
			if e.Line < 0 || e.Field == "" || e.Reason == "" {
				t.Fatalf("Parse problem %+v lacks a line, field or reason", e)
			}
		}
		for i := 1; i < len(rows); i++ {
			if rows[i].Line <= rows[i-1].Line {
				t.Fatalf("rows out of order: line %d after %d", rows[i].Line, rows[i-1].Line)
			}
		}
		if len(rows) == 0 && len(errs) == 0 {
			t.Fatalf("Parse found neither rows nor problems")
		}
	})
}
