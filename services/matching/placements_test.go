package matching_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/mongostore"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	"github.com/talentbridge/platform/shared/platformtest"
)

// The outcome report counts the accepted offers whose placements were
// completed or ended early, from the placements service's events; a
// repeated or older event changes nothing.
func TestReportCountsPlacementOutcomes(t *testing.T) {
	t.Parallel()
	m := newMarket(t)
	coord := m.coordinator()
	var r round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Autumn 2027", "programIds": []string{m.p1, m.p2, m.p3}, "seed": 7},
		http.StatusCreated, &r)
	m.runRound(r.ID)
	ms := m.matches(r.ID)
	for _, x := range ms {
		m.must(http.MethodPost, "/matches/"+x.ID+"/approve", coord, nil, http.StatusOK, nil)
	}
	m.must(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, nil, http.StatusOK, nil)
	accepted := map[string]string{} // applicant → match
	for _, a := range []string{"a4", "a5", "a3"} {
		for k, x := range ms {
			if k[:2] == a {
				m.must(http.MethodPost, "/matches/"+x.ID+"/accept", m.token(a, auth.RoleApplicant), nil, http.StatusOK, nil)
				accepted[a] = x.ID
			}
		}
	}
	finish := func(a, status string, version int64) {
		typ := events.PlacementCompleted
		if status == "ended" {
			typ = events.PlacementEnded
		}
		publish(t, m.env, platformtest.Event(t, placementsev.Source, typ, "pl-"+a, version, placementsev.PlacementFinished{
			PlacementID: "pl-" + a, MatchID: accepted[a], ApplicantID: a, Status: status, At: time.Now().UTC()}), "")
	}
	finish("a4", "completed", 2)
	finish("a4", "completed", 2) // again
	finish("a5", "ended", 3)
	finish("a3", "completed", 1) // older than the ended below
	finish("a3", "ended", 2)
	m.waitVersion(mongostore.PlacementOutcomesCollection, accepted["a3"], 2)
	m.waitVersion(mongostore.PlacementOutcomesCollection, accepted["a5"], 3)
	m.waitVersion(mongostore.PlacementOutcomesCollection, accepted["a4"], 2)

	var rep struct {
		Totals struct {
			Filled, Completed, EndedEarly int
		} `json:"totals"`
	}
	m.must(http.MethodGet, "/rounds/"+r.ID+"/report", coord, nil, http.StatusOK, &rep)
	if rep.Totals.Filled != len(accepted) || rep.Totals.Completed != 1 || rep.Totals.EndedEarly != 2 {
		t.Fatalf("report totals = %+v, want %d filled, 1 completed, 2 ended early", rep.Totals, len(accepted))
	}
}
