package matching_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

// policyMarket: program P (2 seats, 1 reserved for women, open seat
// first) ranks b1, b2, b5, b3; Q1 and Q2 (1 seat each) form region R with
// a cap of 1 and Q2's target 0. b3 is a woman under consent; b5 says so
// without consent, so the read model, and the run, must not know it.
type policyMarket struct {
	*world
	p, q1, q2, other string
}

func newPolicyMarket(t *testing.T) *policyMarket {
	w := newWorld(t, fast)
	m := &policyMarket{world: w, p: "P-" + newID(), q1: "Q1-" + newID(), q2: "Q2-" + newID(), other: "O-" + newID()}
	p := programSnap(m.p, "hp", 2)
	p.Reserves = []programsev.Reserve{{Category: "women", Seats: 1}}
	for _, x := range []programsev.Program{p, programSnap(m.q1, "hq", 1), programSnap(m.q2, "hq", 1), programSnap(m.other, "hq", 3)} {
		w.putProgram(x, 1)
		w.waitVersion("programs", x.ID, 1)
	}
	for i := 1; i <= 5; i++ {
		prof := profileSnap(fmt.Sprintf("b%d", i), "IN", true)
		switch i {
		case 3:
			prof.Categories, prof.Consents.Categories = []string{"women"}, true
		case 5:
			prof.Categories = []string{"women"}
		}
		w.putProfile(prof, 1)
		w.waitVersion("profiles", prof.ID, 1)
	}
	lists := map[string][]string{"b1": {m.p}, "b2": {m.p, m.q2}, "b3": {m.p}, "b4": {m.q1}, "b5": {m.p}}
	for a, l := range lists {
		tok := w.token(a, auth.RoleApplicant)
		for _, pid := range l {
			w.must(http.MethodPost, "/applications", tok, map[string]string{"programId": pid}, http.StatusCreated, nil)
		}
		w.must(http.MethodPut, "/applications/me/ranking", tok, map[string]any{"programIds": l}, http.StatusOK, nil)
	}
	w.must(http.MethodPut, "/programs/"+m.p+"/ranking", w.token("hp", auth.RoleHost),
		map[string]any{"applicantIds": []string{"b1", "b2", "b5", "b3"}}, http.StatusOK, nil)
	return m
}

func (m *policyMarket) policy() map[string]any {
	return map[string]any{"regions": []map[string]any{{"id": "R", "name": "Tohoku", "cap": 1,
		"programIds": []string{m.q1, m.q2}, "targets": map[string]int{m.q2: 0}}}}
}

func TestRoundPolicyIsValidatedWithFieldErrors(t *testing.T) {
	t.Parallel()
	m := newPolicyMarket(t)
	coord := m.coordinator()
	ids := []string{m.p, m.q1, m.q2}
	region := func(r map[string]any) map[string]any {
		out := map[string]any{"id": "R", "name": "R", "cap": 1, "programIds": []string{m.q1, m.q2}, "targets": map[string]int{m.q2: 0}}
		for k, v := range r {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name    string
		regions []map[string]any
		field   string
	}{
		{"targets over cap", []map[string]any{region(map[string]any{"targets": map[string]int{}})}, "policy.regions[0].cap"},
		{"negative cap", []map[string]any{region(map[string]any{"cap": -1})}, "policy.regions[0].cap"},
		{"negative target", []map[string]any{region(map[string]any{"targets": map[string]int{m.q2: -1}})}, "policy.regions[0].targets." + m.q2},
		{"target for a program outside the region", []map[string]any{region(map[string]any{"targets": map[string]int{m.q2: 0, m.p: 0}})}, "policy.regions[0].targets." + m.p},
		{"unknown program", []map[string]any{region(map[string]any{"programIds": []string{m.q1, m.q2, "nope"}})}, "policy.regions[0].programIds[2]"},
		{"program not in the round", []map[string]any{region(map[string]any{"programIds": []string{m.q1, m.q2, m.other}})}, "policy.regions[0].programIds[2]"},
		{"duplicate program", []map[string]any{region(map[string]any{"programIds": []string{m.q1, m.q2, m.q2}})}, "policy.regions[0].programIds[2]"},
		{"program in two regions", []map[string]any{region(nil),
			{"id": "S", "name": "S", "cap": 5, "programIds": []string{m.q1}}}, "policy.regions[1].programIds[0]"},
		{"duplicate region id", []map[string]any{region(nil),
			{"id": "R", "name": "S", "cap": 5, "programIds": []string{m.p}}}, "policy.regions[1].id"},
		{"missing region id", []map[string]any{region(map[string]any{"id": " "})}, "policy.regions[0].id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"name": "bad", "programIds": ids, "policy": map[string]any{"regions": tc.regions}}
			res := m.do(http.MethodPost, "/rounds", coord, body)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("POST /rounds (%s) = %d %s, want 422", tc.name, res.Status, res.Body)
			}
			p := res.Problem(t)
			var fields []string
			for _, f := range p.Errors {
				fields = append(fields, f.Field)
			}
			if p.Code != "invalid_policy" || !slices.Contains(fields, tc.field) {
				t.Errorf("problem = %s %v, want invalid_policy naming %s", p.Code, fields, tc.field)
			}
		})
	}
	// Nothing was stored by the bad requests.
	var l list[round]
	m.must(http.MethodGet, "/rounds", coord, nil, http.StatusOK, &l)
	if len(l.Items) != 0 {
		t.Errorf("rounds after bad requests = %d, want 0", len(l.Items))
	}
}

func TestRoundRunsUnderItsPolicy(t *testing.T) {
	t.Parallel()
	m := newPolicyMarket(t)
	coord := m.coordinator()
	var created apimatching.Round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Policy", "programIds": []string{m.p, m.q1, m.q2},
		"seed": 7, "policy": m.policy()}, http.StatusCreated, &created)
	var got apimatching.Round
	m.must(http.MethodGet, "/rounds/"+created.ID, coord, nil, http.StatusOK, &got)
	if got.Policy == nil || len(got.Policy.Regions) != 1 || got.Policy.Regions[0].Cap != 1 || got.Policy.Regions[0].Name != "Tohoku" ||
		!slices.Equal(got.Policy.Regions[0].ProgramIDs, []string{m.q1, m.q2}) || got.Policy.Regions[0].Targets[m.q2] != 0 {
		t.Fatalf("GET round policy = %+v, want region R (Tohoku) cap 1 over Q1, Q2 with Q2's target 0", got.Policy)
	}

	done := m.runRound(created.ID)
	if done.BlockingPairs != 0 {
		t.Errorf("blocking pairs = %d, want 0", done.BlockingPairs)
	}
	want := []string{"b1 " + m.p, "b3 " + m.p, "b4 " + m.q1}
	mm := &market{world: m.world}
	if got := pairs(mm.matches(created.ID), "proposed"); !slices.Equal(got, sorted(want)) {
		t.Fatalf("proposed = %v, want %v (reserve to b3, not b5 without consent; region cap keeps b2 out of Q2)", got, sorted(want))
	}
	var ex list[apimatching.Explanation]
	m.must(http.MethodGet, "/rounds/"+created.ID+"/explanations", coord, nil, http.StatusOK, &ex)
	codes := map[string][]string{}
	for _, e := range ex.Items {
		for _, r := range e.Reasons {
			codes[e.ApplicantID] = append(codes[e.ApplicantID], r.Code+" "+r.Text)
		}
	}
	b2 := strings.Join(codes["b2"], " | ")
	if !strings.Contains(b2, "round.reserved") || !strings.Contains(b2, "women") ||
		!strings.Contains(b2, "round.region_cap") || !strings.Contains(b2, "Tohoku reached its cap of 1") {
		t.Errorf("b2's reasons = %s, want the reserve for women at P and region Tohoku's cap at Q2", b2)
	}
	var rep apimatching.Report
	m.must(http.MethodGet, "/rounds/"+created.ID+"/report", coord, nil, http.StatusOK, &rep)
	if len(rep.ByRegion) != 1 || rep.ByRegion[0].Name != "Tohoku" || rep.ByRegion[0].Cap != 1 || !rep.ByRegion[0].Filled.Suppressed ||
		rep.ByRegion[0].Filled.N != nil || rep.ByRegion[0].Filled.Display != "<10" {
		t.Errorf("report regions = %+v, want Tohoku, cap 1, filled <10", rep.ByRegion)
	}
	if len(rep.ByCategory) != 1 || rep.ByCategory[0].Category != "women" || rep.ByCategory[0].Reserved != 1 || !rep.ByCategory[0].ToCategory.Suppressed {
		t.Errorf("report categories = %+v, want women, 1 reserved, filled <10", rep.ByCategory)
	}

	// A re-run keeps b4's approved seat at Q1, which counts against the
	// region's cap: Q2 still may not take b2.
	ms := mm.matches(created.ID)
	m.must(http.MethodPost, "/matches/"+ms["b4 "+m.q1].ID+"/approve", coord, nil, http.StatusOK, nil)
	again := m.runRound(created.ID)
	if again.BlockingPairs != 0 {
		t.Errorf("re-run blocking pairs = %d, want 0", again.BlockingPairs)
	}
	ms = mm.matches(created.ID)
	if _, over := ms["b2 "+m.q2]; over {
		t.Errorf("the re-run put b2 in Q2 although b4's kept seat fills region Tohoku's cap of 1: %v", pairs(ms, "proposed", "approved"))
	}
	if got := pairs(ms, "proposed", "approved"); !slices.Equal(got, sorted(want)) {
		t.Errorf("after the re-run = %v, want %v", got, sorted(want))
	}
}

// TestMockRunSavesNothingAndTellsNoOne: a mock run gives the would-be
// matches and fill under the round's policy, stores no match, publishes no
// event, is for coordinators only, and equals the real run that follows.
func TestMockRunSavesNothingAndTellsNoOne(t *testing.T) {
	t.Parallel()
	m := newPolicyMarket(t)
	coord := m.coordinator()
	var r apimatching.Round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Mock", "programIds": []string{m.p, m.q1, m.q2},
		"seed": 7, "policy": m.policy()}, http.StatusCreated, &r)
	if res := m.do(http.MethodGet, "/rounds/"+r.ID+"/mock", coord, nil); res.Status != http.StatusNotFound {
		t.Errorf("GET mock before any = %d, want 404", res.Status)
	}
	for _, who := range []string{m.token("b1", auth.RoleApplicant), m.token("hp", auth.RoleHost)} {
		if res := m.do(http.MethodPost, "/rounds/"+r.ID+"/mock", who, nil); res.Status != http.StatusForbidden {
			t.Errorf("POST mock as non-coordinator = %d, want 403", res.Status)
		}
	}
	if res := m.do(http.MethodPost, "/rounds/no-such-round/mock", coord, nil); res.Status != http.StatusNotFound {
		t.Errorf("POST mock of an unknown round = %d, want 404", res.Status)
	}

	var mock apimatching.MockRun
	m.must(http.MethodPost, "/rounds/"+r.ID+"/mock", coord, nil, http.StatusOK, &mock)
	var got []string
	for _, x := range mock.Items {
		got = append(got, x.ApplicantID+" "+x.ProgramID)
	}
	slices.Sort(got)
	want := sorted([]string{"b1 " + m.p, "b3 " + m.p, "b4 " + m.q1})
	if !slices.Equal(got, want) || mock.BlockingPairs != 0 {
		t.Fatalf("mock = %v (%d blocking), want %v", got, mock.BlockingPairs, want)
	}
	fill := map[string]apimatching.ProgramFill{}
	for _, p := range mock.Fill.Programs {
		fill[p.ProgramID] = p
	}
	if fill[m.p].Filled != 2 || fill[m.p].Seats != 2 || fill[m.q2].Filled != 0 || fill[m.q1].Rate != 1 {
		t.Errorf("program fill = %+v, want P 2 of 2, Q1 full, Q2 empty", mock.Fill.Programs)
	}
	if len(mock.Fill.Regions) != 1 || mock.Fill.Regions[0].Filled != 1 || mock.Fill.Regions[0].Cap != 1 || mock.Fill.Regions[0].Name != "Tohoku" {
		t.Errorf("region fill = %+v, want Tohoku 1 of 1", mock.Fill.Regions)
	}
	if len(mock.Fill.Categories) != 1 || mock.Fill.Categories[0] != (apimatching.CategoryFill{Category: "women", Reserved: 1, ToCategory: 1, Rate: 1}) {
		t.Errorf("category fill = %+v, want women: 1 reserved, 1 to the category", mock.Fill.Categories)
	}
	var again apimatching.MockRun
	m.must(http.MethodGet, "/rounds/"+r.ID+"/mock", coord, nil, http.StatusOK, &again)
	if len(again.Items) != 3 || again.RanBy != "coord-1" || len(again.Fill.Programs) != 3 {
		t.Errorf("GET mock = %+v, want the saved mock", again)
	}

	var ms list[apimatching.Match]
	m.must(http.MethodGet, "/rounds/"+r.ID+"/matches", coord, nil, http.StatusOK, &ms)
	if len(ms.Items) != 0 {
		t.Errorf("matches after a mock = %d, want none", len(ms.Items))
	}
	var round apimatching.Round
	m.must(http.MethodGet, "/rounds/"+r.ID, coord, nil, http.StatusOK, &round)
	if round.Status != "created" || round.Runs != 0 {
		t.Errorf("round after a mock = %s with %d runs, want created with 0", round.Status, round.Runs)
	}
	if evs := platformtest.StreamEvents(t, m.env.Deps.Bus, "MATCHING", platformtest.EventFilter{}); len(evs) != 0 {
		var types []string
		for _, ev := range evs {
			types = append(types, ev.Type)
		}
		// Applications publish their own events; a mock adds none.
		for _, ty := range types {
			if strings.Contains(ty, "match.") || strings.Contains(ty, "round.") {
				t.Errorf("events after a mock include %s, want no match or round event", ty)
			}
		}
	}

	m.runRound(r.ID)
	mm := &market{world: m.world}
	if real := pairs(mm.matches(r.ID), "proposed"); !slices.Equal(real, got) {
		t.Errorf("real run = %v, want the mock's %v", real, got)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestMockRunIsExportedAndErased: an applicant's would-be match of a mock
// run is in their export and goes with their erasure.
func TestMockRunIsExportedAndErased(t *testing.T) {
	t.Parallel()
	m := newPolicyMarket(t)
	coord := m.coordinator()
	var r apimatching.Round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Mock", "programIds": []string{m.p, m.q1, m.q2},
		"seed": 7, "policy": m.policy()}, http.StatusCreated, &r)
	m.must(http.MethodPost, "/rounds/"+r.ID+"/mock", coord, nil, http.StatusOK, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msg, err := m.env.Deps.Bus.NC.RequestWithContext(ctx, profilesev.ExportSubject(profilesev.ServiceMatching), []byte(`{"userId":"b1"}`))
	if err != nil {
		t.Fatal(err)
	}
	var part profilesev.ExportPart
	platformtest.DecodeJSON(t, msg.Data, &part)
	var data struct {
		MockMatches []struct {
			RoundID   string `json:"roundId"`
			ProgramID string `json:"programId"`
		} `json:"mockMatches"`
	}
	platformtest.DecodeJSON(t, part.Data, &data)
	if len(data.MockMatches) != 1 || data.MockMatches[0].RoundID != r.ID || data.MockMatches[0].ProgramID != m.p {
		t.Errorf("b1's export mock matches = %+v, want P in round %s", data.MockMatches, r.ID)
	}

	m.erase("b1", 2)
	platformtest.Eventually(t, 20*time.Second, func() error {
		var mock apimatching.MockRun
		m.must(http.MethodGet, "/rounds/"+r.ID+"/mock", coord, nil, http.StatusOK, &mock)
		for _, x := range mock.Items {
			if x.ApplicantID == "b1" {
				return fmt.Errorf("b1 is still in the mock run")
			}
		}
		if len(mock.Items) != 2 {
			return fmt.Errorf("mock run holds %d items, want the other 2", len(mock.Items))
		}
		return nil
	})
}
