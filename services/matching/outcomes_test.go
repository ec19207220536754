package matching_test

import (
	"net/http"
	"testing"

	"github.com/talentbridge/platform/shared/auth"
)

// roundOutcome is the part of GET /rounds/me's items the test reads.
type roundOutcome struct {
	RoundID   string   `json:"roundId"`
	Name      string   `json:"name"`
	Choices   []string `json:"choices"`
	Matched   bool     `json:"matched"`
	MatchID   string   `json:"matchId"`
	ProgramID string   `json:"programId"`
	Reasons   []struct {
		Code string `json:"code"`
	} `json:"reasons"`
}

// GET /rounds/me tells each applicant of a published round what it gave
// them: the offer for those matched, "not matched" with reasons for the
// others. Before publication it shows nothing (coordinators' decisions
// stay internal); someone who took no part sees no round; hosts and
// coordinators are refused.
func TestMyRoundsTellsEveryApplicantTheOutcome(t *testing.T) {
	m := newMarket(t)
	coord := m.coordinator()
	var r round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Spring outcome", "programIds": []string{m.p1, m.p2, m.p3}, "seed": 7},
		http.StatusCreated, &r)
	m.runRound(r.ID)
	mine := func(a string) []roundOutcome {
		t.Helper()
		var out struct {
			Items []roundOutcome `json:"items"`
		}
		m.must(http.MethodGet, "/rounds/me", m.token(a, auth.RoleApplicant), nil, http.StatusOK, &out)
		return out.Items
	}
	if got := mine("a1"); len(got) != 0 {
		t.Fatalf("before publication GET /rounds/me = %+v, want no round", got)
	}
	ms := m.matches(r.ID)
	for _, k := range pairs(ms, "proposed") {
		m.must(http.MethodPost, "/matches/"+ms[k].ID+"/approve", coord, nil, http.StatusOK, nil)
	}
	m.must(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, nil, http.StatusOK, nil)

	offered := map[string]match{}
	for _, x := range m.matches(r.ID) {
		offered[x.ApplicantID] = x
	}
	matched, unmatched := 0, 0
	for _, a := range []string{"a1", "a2", "a3", "a4", "a5", "a6"} {
		got := mine(a)
		if len(got) != 1 || got[0].RoundID != r.ID || got[0].Name != "Spring outcome" || len(got[0].Choices) == 0 {
			t.Fatalf("%s: GET /rounds/me = %+v, want the one published round with their choices", a, got)
		}
		o := got[0]
		if x, ok := offered[a]; ok {
			matched++
			if !o.Matched || o.MatchID != x.ID || o.ProgramID != x.ProgramID {
				t.Errorf("%s: outcome %+v, want matched with offer %s to %s", a, o, x.ID, x.ProgramID)
			}
			continue
		}
		unmatched++
		if o.Matched || o.MatchID != "" || o.ProgramID != "" || len(o.Reasons) == 0 {
			t.Errorf("%s: outcome %+v, want not matched, with reasons", a, o)
		}
	}
	if matched == 0 || unmatched == 0 {
		t.Fatalf("%d matched and %d unmatched; the market should give both", matched, unmatched)
	}
	if got := mine("a-outsider"); len(got) != 0 {
		t.Errorf("an applicant outside the round sees %+v, want nothing", got)
	}
	for _, role := range []string{auth.RoleHost, auth.RoleCoordinator} {
		if st := m.do(http.MethodGet, "/rounds/me", m.token("x-1", role), nil).Status; st != http.StatusForbidden {
			t.Errorf("GET /rounds/me as %s = %d, want 403", role, st)
		}
	}
	if st := m.do(http.MethodGet, "/rounds/me", "", nil).Status; st != http.StatusUnauthorized {
		t.Errorf("GET /rounds/me without a token = %d, want 401", st)
	}
}
