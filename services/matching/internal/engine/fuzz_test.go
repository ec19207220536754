package engine_test

import (
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// FuzzSolve builds a small instance from the fuzz bytes (see enginetest.FromBytes) and
// checks everything the solvers promise, optimality by brute force included, and that
// explanations of their results never report a blocking pair.
func FuzzSolve(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 3, 0, 0xff, 1, 0xff, 2, 0xff, 1, 1, 0xff, 0, 0, 1, 0xff, 0, 0, 1, 0xff, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := enginetest.FromBytes(data)
		if err := in.Validate(); err != nil {
			t.Fatalf("FromBytes(%v) is invalid: %v", data, err)
		}
		checkSolutions(t, in, true)
		for _, side := range []engine.Side{engine.ApplicantOptimal, engine.ProgramOptimal} {
			m, _ := engine.Solve(in, side)
			reasons, err := engine.Explain(in, m)
			if err != nil {
				t.Fatalf("Explain(Solve(%v)) error: %v", side, err)
			}
			for a, rs := range reasons {
				if len(rs) != listPos(in.Applicants[a].Prefs, m.ProgramOf[a]) {
					t.Fatalf("Explain(Solve(%v)) gave %s %d reasons, want one per program ranked above", side, in.Applicants[a].ID, len(rs))
				}
				for _, r := range rs {
					if r.Code == engine.ReasonBlocking {
						t.Fatalf("Explain(Solve(%v)) = %+v for %s, want no blocking pair", side, r, in.Applicants[a].ID)
					}
				}
			}
		}
	})
}
