package matching_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
)

// TestVacancyRoundInheritsThePolicy: the policy market's round (region
// Tohoku over Q1 and Q2, cap 1) places b1 and b3 at P and b4 at Q1; all
// three accept. The vacancy round holds Q2's seat alone, and inherits the
// region with its cap lowered by b4's accepted seat to 0 (Q2's target 0
// kept): b2, who ranks Q2 and would take that seat without the policy,
// stays unmatched, told the region is full, with 0 blocking pairs, and
// nobody who accepted is placed again.
func TestVacancyRoundInheritsThePolicy(t *testing.T) {
	t.Parallel()
	m := newPolicyMarket(t)
	coord := m.coordinator()
	var r apimatching.Round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Policy", "programIds": []string{m.p, m.q1, m.q2},
		"seed": 7, "policy": m.policy()}, http.StatusCreated, &r)
	if done := m.runRound(r.ID); done.BlockingPairs != 0 || done.Counts.Proposed != 3 {
		t.Fatalf("run = %+v, want 3 proposals and 0 blocking pairs", done)
	}
	mm := &market{world: m.world}
	ms := mm.matches(r.ID)
	for _, k := range pairs(ms, "proposed") {
		m.must(http.MethodPost, "/matches/"+ms[k].ID+"/approve", coord, nil, http.StatusOK, nil)
	}
	m.must(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, nil, http.StatusOK, nil)
	for _, k := range []string{"b1 " + m.p, "b3 " + m.p, "b4 " + m.q1} {
		who := strings.Fields(k)[0]
		m.must(http.MethodPost, "/matches/"+ms[k].ID+"/accept", m.token(who, auth.RoleApplicant), nil, http.StatusOK, nil)
	}

	var v apimatching.Round
	m.must(http.MethodPost, "/rounds/"+r.ID+"/vacancy", coord, map[string]any{"name": "Second chance"}, http.StatusCreated, &v)
	if !slices.Equal(v.ProgramIDs, []string{m.q2}) {
		t.Fatalf("vacancy programs = %v, want Q2 alone", v.ProgramIDs)
	}
	var got apimatching.Round
	m.must(http.MethodGet, "/rounds/"+v.ID, coord, nil, http.StatusOK, &got)
	if got.Policy == nil || len(got.Policy.Regions) != 1 {
		t.Fatalf("vacancy policy = %+v, want region R inherited", got.Policy)
	}
	reg := got.Policy.Regions[0]
	if reg.ID != "R" || reg.Name != "Tohoku" || reg.Cap != 0 || !slices.Equal(reg.ProgramIDs, []string{m.q2}) || reg.Targets[m.q2] != 0 {
		t.Errorf("vacancy region = %+v, want R (Tohoku) over Q2 with cap 1-1 = 0 and Q2's target 0", reg)
	}

	done := m.runRound(v.ID)
	if done.BlockingPairs != 0 {
		t.Fatalf("vacancy run has %d blocking pairs, want 0", done.BlockingPairs)
	}
	vm := mm.matches(v.ID)
	if len(vm) != 0 {
		t.Errorf("vacancy matches = %v, want none: region Tohoku's cap is taken by b4's accepted seat", pairs(vm, "proposed"))
	}
	var ex struct {
		Items []apimatching.Explanation `json:"items"`
	}
	m.must(http.MethodGet, "/rounds/"+v.ID+"/explanations?applicantId=b2", coord, nil, http.StatusOK, &ex)
	var reasons []string
	for _, e := range ex.Items {
		for _, x := range e.Reasons {
			reasons = append(reasons, x.Code+" "+x.Text)
		}
	}
	if text := strings.Join(reasons, " | "); !strings.Contains(text, "round.region_cap") {
		t.Errorf("b2's reasons in the vacancy round = %s, want region Tohoku's cap", text)
	}
	for _, e := range ex.Items {
		if e.ApplicantID != "b2" {
			t.Errorf("explanations for b2 hold %s", e.ApplicantID)
		}
	}
}
