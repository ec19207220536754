package allocation

import (
	"cmp"
	"slices"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// Scored is an applicant's score for one program.
type Scored struct {
	ApplicantID string
	scoring.Explanation
}

// ScoreApplicants scores applicants for one program as a round would: with
// a model fitted on them and the program, the deadline ignored. It returns
// the eligible ones, best first (ties by id).
func ScoreApplicants(profiles []domain.Profile, p domain.Program, now time.Time) []Scored {
	in := Input{Programs: []Program{{Program: p}}, Now: now}
	for _, prof := range profiles {
		in.Applicants = append(in.Applicants, Applicant{Profile: prof})
	}
	sc := newScorer(in)
	out := make([]Scored, 0, len(profiles))
	for _, prof := range profiles {
		ex := sc.explain(prof.ID, p.ID)
		if ex.Eligible {
			out = append(out, Scored{ApplicantID: prof.ID, Explanation: ex})
		}
	}
	slices.SortFunc(out, func(x, y Scored) int {
		return cmp.Or(cmp.Compare(y.Points, x.Points), cmp.Compare(x.ApplicantID, y.ApplicantID))
	})
	return out
}
