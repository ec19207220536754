package placements

import (
	"encoding/json"
	"strings"
	"testing"
)

// The placement and task shapes of DESIGN.md §4 keep their wire names;
// the service, the UI and the tests all use these types.
func TestWireNames(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want []string
	}{
		{Placement{}, []string{`"id":`, `"applicantId":`, `"programId":`, `"direction":`, `"status":`, `"startDate":`, `"endDate":`}},
		{Task{}, []string{`"id":`, `"party":`, `"title":`, `"dueDate":`, `"status":`, `"source":`}},
		{FeedbackRequest{}, []string{`"rating":`}},
		{EndRequest{}, []string{`"reason":`}},
	} {
		raw, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(raw), w) {
				t.Errorf("json.Marshal(%T) = %s, lacks %s", tc.v, raw, w)
			}
		}
	}
}
