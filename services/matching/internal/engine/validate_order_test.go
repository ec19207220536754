package engine_test

import (
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// Validate checks the two sides on two cores; the problem it reports must still be the one
// a single pass meets first: applicant ids, then programs one by one (id, capacity,
// ranks), then applicants' lists, then programs' lists.
func TestValidateReportsFirstProblemInOrder(t *testing.T) {
	apps := func(ids ...string) []engine.Applicant {
		out := make([]engine.Applicant, len(ids))
		for i, id := range ids {
			out[i] = engine.Applicant{ID: id}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   engine.Instance
		want string
	}{
		{"applicant id before program problems", engine.Instance{
			Applicants: apps("a", "a"),
			Programs:   []engine.Program{{ID: "p", Capacity: -1}},
		}, "applicants[1].id"},
		{"an earlier program's capacity before a later duplicate id", engine.Instance{
			Applicants: apps("a"),
			Programs:   []engine.Program{{ID: "p", Capacity: -1}, {ID: "p"}},
		}, "programs[0].capacity"},
		{"a duplicate id before a later program's ranks", engine.Instance{
			Applicants: apps("a"),
			Programs:   []engine.Program{{ID: "p"}, {ID: "p"}, {ID: "q", Prefs: []int{0}, Ranks: []int{0, 1}}},
		}, "programs[1].id"},
		{"program fields before applicants' lists", engine.Instance{
			Applicants: []engine.Applicant{{ID: "a", Prefs: []int{7}}},
			Programs:   []engine.Program{{ID: "p", Prefs: []int{0}, Ranks: []int{}}},
		}, "programs[0].ranks"},
		{"applicants' lists before programs' lists", engine.Instance{
			Applicants: []engine.Applicant{{ID: "a", Prefs: []int{0, 0}}},
			Programs:   []engine.Program{{ID: "p", Prefs: []int{3}}},
		}, "applicants[0].prefs[1]"},
		{"programs' lists", engine.Instance{
			Applicants: []engine.Applicant{{ID: "a", Prefs: []int{0}}},
			Programs:   []engine.Program{{ID: "p", Prefs: []int{0, 0}}},
		}, "programs[0].prefs[1]"},
	} {
		err := tc.in.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want+":") {
			t.Errorf("%s: Validate() = %v, want a problem at %s", tc.name, err, tc.want)
		}
	}
}
