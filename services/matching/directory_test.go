package matching_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestRecommendationsFollowOnEveryReplica checks that a read-model change
// reaches the recommendations of both replicas at once, whichever of them
// consumed the event into the read model: there is no periodic sync, so
// only each replica's own following of the events can bring it.
func TestRecommendationsFollowOnEveryReplica(t *testing.T) {
	t.Parallel()
	o := matching.Options{}
	one := &world{t: t, env: platformtest.Start(t, platformtest.Options{}, matching.NewWithOptions(o))}
	two := &world{t: t, env: platformtest.Start(t, platformtest.Options{NATSURL: one.env.Deps.Bus.NC.ConnectedUrl(),
		DBPrefix: one.env.Deps.DBPrefix}, matching.NewWithOptions(o))}

	recs := func(applicant string, want int) {
		t.Helper()
		platformtest.Eventually(t, 5*time.Second, func() error {
			for i, w := range []*world{one, two} {
				var l list[map[string]any]
				w.must(http.MethodGet, "/recommendations/me", w.token(applicant, auth.RoleApplicant), nil, http.StatusOK, &l)
				if len(l.Items) != want {
					return fmt.Errorf("replica %d has %d recommendations for %s, want %d", i+1, len(l.Items), applicant, want)
				}
			}
			return nil
		})
	}

	p1, p2 := "p1-"+newID(), "p2-"+newID()
	a := "a-" + newID()
	one.putProgram(programSnap(p1, "h1", 2), 1)
	one.putProgram(programSnap(p2, "h1", 2), 1)
	one.putProfile(profileSnap(a, "IN", true), 1)
	recs(a, 2)

	// A program closes: neither replica recommends it any more.
	closed := programSnap(p2, "h1", 2)
	closed.Status = programsev.StatusClosed
	one.putProgram(closed, 2)
	recs(a, 1)

	// The applicant is erased: neither replica knows them any more.
	one.erase(a, 2)
	recs(a, 0)
}
