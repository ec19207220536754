package matching_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/platformtest"
)

// market sets up the round of the package's tests: host h1 offers p1 (1
// seat) and p2 (2 seats, Indian applicants only), host h2 offers p3 (1
// seat); a1–a3 are Indian, a4–a6 Japanese. Everyone applies, most rank,
// and the hosts rank (h2 leaves a1 unranked, so a1 comes last at p3).
type market struct {
	*world
	p1, p2, p3 string
	apps       map[string]string // "<applicant> <program>" → application id
}

func newMarket(t *testing.T) *market { return marketOn(newWorld(t, fast)) }

// marketOn sets the market up through w.
func marketOn(w *world) *market {
	m := &market{world: w, p1: "p1-" + newID(), p2: "p2-" + newID(), p3: "p3-" + newID(), apps: map[string]string{}}
	p1, p2, p3 := programSnap(m.p1, "h1", 1), programSnap(m.p2, "h1", 2), programSnap(m.p3, "h2", 1)
	p2.Eligibility.HomeCountries = []string{"IN"}
	p3.HostCountry, p3.Region = "IN", "Karnataka"
	w.putProgram(p1, 1)
	w.putProgram(p2, 1)
	w.putProgram(p3, 1)
	for i := 1; i <= 6; i++ {
		country := "IN"
		if i > 3 {
			country = "JP"
		}
		w.putProfile(profileSnap(fmt.Sprintf("a%d", i), country, true), 1)
	}
	for _, id := range []string{m.p1, m.p2, m.p3} {
		w.waitVersion("programs", id, 1)
	}
	for i := 1; i <= 6; i++ {
		w.waitVersion("profiles", fmt.Sprintf("a%d", i), 1)
	}
	applies := map[string][]string{
		"a1": {m.p1, m.p2, m.p3}, "a2": {m.p1, m.p3, m.p2}, "a3": {m.p2, m.p1},
		"a4": {m.p1, m.p3}, "a5": {m.p3, m.p1}, "a6": {m.p3},
	}
	for _, a := range slices.Sorted(maps.Keys(applies)) {
		tok := w.token(a, auth.RoleApplicant)
		for _, p := range applies[a] {
			var app struct {
				ID string `json:"id"`
			}
			w.must(http.MethodPost, "/applications", tok, map[string]string{"programId": p}, http.StatusCreated, &app)
			m.apps[a+" "+p] = app.ID
		}
		if a != "a6" { // a6 has no rank list: application order by score
			w.must(http.MethodPut, "/applications/me/ranking", tok, map[string]any{"programIds": applies[a]}, http.StatusOK, nil)
		}
	}
	h1, h2 := w.token("h1", auth.RoleHost), w.token("h2", auth.RoleHost)
	w.must(http.MethodPut, "/programs/"+m.p1+"/ranking", h1, map[string]any{"applicantIds": []string{"a4", "a2", "a1", "a5", "a3"}}, http.StatusOK, nil)
	w.must(http.MethodPut, "/programs/"+m.p2+"/ranking", h1, map[string]any{"applicantIds": []string{"a1", "a3", "a2"}}, http.StatusOK, nil)
	w.must(http.MethodPut, "/programs/"+m.p3+"/ranking", h2, map[string]any{"applicantIds": []string{"a5", "a2", "a6", "a4"}}, http.StatusOK, nil)
	return m
}

func (m *market) matches(roundID string) map[string]match {
	m.t.Helper()
	var l list[match]
	m.must(http.MethodGet, "/rounds/"+roundID+"/matches", m.coordinator(), nil, http.StatusOK, &l)
	out := map[string]match{}
	for _, x := range l.Items {
		out[x.ApplicantID+" "+x.ProgramID] = x
	}
	return out
}

func pairs(ms map[string]match, statuses ...string) []string {
	var out []string
	for k, x := range ms {
		if slices.Contains(statuses, x.Status) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func TestRoundLifecycle(t *testing.T) {
	t.Parallel()
	m := newMarket(t)
	coord := m.coordinator()

	var r round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Spring 2027", "programIds": []string{m.p1, m.p2, m.p3}, "seed": 42}, http.StatusCreated, &r)
	if r.Status != "created" || r.Seed != 42 {
		t.Fatalf("created round = %+v, want status created, seed 42", r)
	}
	if p := m.do(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, nil).Problem(t); p.Code != "round_not_run" {
		t.Errorf("publish before run = %s, want round_not_run", p.Code)
	}

	done := m.runRound(r.ID)
	if done.BlockingPairs != 0 || done.Counts.Proposed != 4 || done.Counts.Applicants != 6 || done.Counts.Unmatched != 2 {
		t.Fatalf("after run: %+v, want 0 blocking pairs, 4 proposed, 6 applicants, 2 unmatched", done)
	}
	ms := m.matches(r.ID)
	want := []string{"a1 " + m.p2, "a3 " + m.p2, "a4 " + m.p1, "a5 " + m.p3}
	slices.Sort(want)
	if got := pairs(ms, "proposed"); !slices.Equal(got, want) {
		t.Fatalf("proposed = %v, want %v", got, want)
	}
	if x := ms["a1 "+m.p2]; x.Choice != 2 || len(x.Reasons) < 3 || x.Reasons[0].Code != "match.choice" {
		t.Errorf("a1's match = %+v, want 2nd choice with reasons", x)
	}

	// Why a2 got nothing: every program it ranked filled with applicants
	// the program ranked higher.
	var ex list[struct {
		ApplicantID string `json:"applicantId"`
		Outcome     string `json:"outcome"`
		Reasons     []struct {
			Code string `json:"code"`
			Text string `json:"text"`
		} `json:"reasons"`
	}]
	m.must(http.MethodGet, "/rounds/"+r.ID+"/explanations?applicantId=a2", coord, nil, http.StatusOK, &ex)
	if len(ex.Items) != 1 || ex.Items[0].Outcome != "filled" || len(ex.Items[0].Reasons) != 3 ||
		!strings.Contains(ex.Items[0].Reasons[0].Text, "Program "+m.p1+" filled its 1 seat") {
		t.Fatalf("a2's explanation = %+v, want filled at all three ranked programs", ex.Items)
	}
	// Applicants see nothing of a round before it is published.
	if got := m.do(http.MethodGet, "/rounds/"+r.ID+"/explanations", m.token("a2", auth.RoleApplicant), nil); got.Status != http.StatusNotFound {
		t.Errorf("applicant reads explanations before publish = %d, want 404", got.Status)
	}

	// Undecided matches block publishing; a rejection needs a reason.
	p := m.do(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, nil).Problem(t)
	if p.Code != "matches_undecided" || !strings.Contains(p.Detail, "4 matches are undecided") {
		t.Errorf("publish with 4 undecided = %s %q, want matches_undecided naming 4", p.Code, p.Detail)
	}
	rejected := ms["a5 "+m.p3].ID
	if got := m.do(http.MethodPost, "/matches/"+rejected+"/reject", coord, map[string]string{"reason": " "}); got.Status != http.StatusBadRequest {
		t.Errorf("reject without reason = %d, want 400", got.Status)
	}
	m.must(http.MethodPost, "/matches/"+rejected+"/reject", coord, map[string]string{"reason": "documents missing"}, http.StatusOK, nil)
	for _, k := range []string{"a1 " + m.p2, "a3 " + m.p2, "a4 " + m.p1} {
		m.must(http.MethodPost, "/matches/"+ms[k].ID+"/approve", coord, map[string]string{"note": "ok"}, http.StatusOK, nil)
	}
	if got := m.do(http.MethodPost, "/matches/"+ms["a4 "+m.p1].ID+"/approve", coord, nil); got.Status != http.StatusConflict {
		t.Errorf("second approval = %d, want 409", got.Status)
	}
	if got := m.do(http.MethodPost, "/matches/"+ms["a4 "+m.p1].ID+"/accept", m.token("a4", auth.RoleApplicant), nil); got.Status != http.StatusConflict {
		t.Errorf("accept before publish = %d, want 409", got.Status)
	}

	// The re-run keeps approved matches and gives the freed seat away; a5
	// is not matched to p3 again.
	done = m.runRound(r.ID)
	ms = m.matches(r.ID)
	if got := pairs(ms, "proposed"); !slices.Equal(got, []string{"a2 " + m.p3}) {
		t.Fatalf("re-run proposed = %v, want [a2 %s]", got, m.p3)
	}
	if got := pairs(ms, "approved"); len(got) != 3 || ms["a5 "+m.p3].Status != "rejected" || done.BlockingPairs != 0 {
		t.Fatalf("re-run kept approved %v and a5 %s, blocking %d; want 3 approved, a5 rejected, 0", got, ms["a5 "+m.p3].Status, done.BlockingPairs)
	}
	m.must(http.MethodGet, "/rounds/"+r.ID+"/explanations?applicantId=a5", coord, nil, http.StatusOK, &ex)
	if len(ex.Items) != 1 || ex.Items[0].Reasons[0].Code != "round.rejected" {
		t.Errorf("a5's explanation after re-run = %+v, want first reason round.rejected", ex.Items)
	}
	m.must(http.MethodPost, "/matches/"+ms["a2 "+m.p3].ID+"/approve", coord, nil, http.StatusOK, nil)

	// The publication is announced as a round.completed that names the
	// applicants without an offer, so that they can be told too.
	announced, err := m.env.Deps.Bus.NC.SubscribeSync(events.RoundCompleted)
	if err != nil {
		t.Fatal(err)
	}
	defer announced.Unsubscribe()
	var pub round
	m.must(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, nil, http.StatusOK, &pub)
	if pub.Status != "published" || pub.Counts.Published != 4 {
		t.Fatalf("published round = %+v, want status published with 4 offers", pub)
	}
	for {
		msg, err := announced.NextMsg(10 * time.Second)
		if err != nil {
			t.Fatalf("no round.completed announcing the publication: %v", err)
		}
		ev, err := events.Parse(msg.Data)
		if err != nil {
			t.Fatal(err)
		}
		var rc matchingev.RoundCompleted
		if err := ev.Decode(&rc); err != nil {
			t.Fatal(err)
		}
		if !rc.Published() {
			continue // a run's completion
		}
		got := slices.Clone(rc.UnmatchedApplicantIDs)
		slices.Sort(got)
		if ev.Subject != r.ID || !slices.Equal(got, []string{"a5", "a6"}) || rc.Unmatched != 2 || rc.Name != "Spring 2027" {
			t.Errorf("publication event = %s %+v, want round %s naming a5 and a6 unmatched", ev.Subject, rc, r.ID)
		}
		break
	}
	// Applicants act on their own offers only.
	a4, a1 := m.token("a4", auth.RoleApplicant), m.token("a1", auth.RoleApplicant)
	if got := m.do(http.MethodPost, "/matches/"+ms["a4 "+m.p1].ID+"/accept", a1, nil); got.Status != http.StatusNotFound {
		t.Errorf("a1 accepts a4's offer = %d, want 404", got.Status)
	}
	m.must(http.MethodPost, "/matches/"+ms["a4 "+m.p1].ID+"/accept", a4, nil, http.StatusOK, nil)
	m.must(http.MethodPost, "/matches/"+ms["a1 "+m.p2].ID+"/decline", a1, nil, http.StatusOK, nil)
	if got := m.do(http.MethodPost, "/matches/"+ms["a1 "+m.p2].ID+"/accept", a1, nil); got.Status != http.StatusConflict {
		t.Errorf("accept after decline = %d, want 409", got.Status)
	}
	var mine list[match]
	m.must(http.MethodGet, "/matches/me", a1, nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 || mine.Items[0].Status != "declined" {
		t.Errorf("a1's matches = %+v, want one declined", mine.Items)
	}
	// a1's explanation is theirs to read now.
	m.must(http.MethodGet, "/rounds/"+r.ID+"/explanations", a1, nil, http.StatusOK, &ex)
	if len(ex.Items) != 1 || ex.Items[0].ApplicantID != "a1" {
		t.Errorf("a1 reads explanations = %+v, want only their own", ex.Items)
	}

	// A run after the decline does not offer a1 the declined program again
	// (and nobody else eligible is left for it).
	done = m.runRound(r.ID)
	if done.Counts.Proposed != 0 {
		t.Errorf("run after decline proposed %d, want 0", done.Counts.Proposed)
	}

	var rep struct {
		Totals struct {
			Applicants, Matched, Unmatched, Seats, Offered, Filled int
		} `json:"totals"`
		ByHomeCountry []struct {
			Value      string `json:"value"`
			Applicants int    `json:"applicants"`
			Matched    int    `json:"matched"`
			Suppressed bool   `json:"suppressed"`
			Display    string `json:"display"`
		} `json:"byHomeCountry"`
		Choices []struct {
			Choice, Count int
		} `json:"choices"`
		Unmatched []struct {
			Code  string `json:"code"`
			Count int    `json:"count"`
		} `json:"unmatched"`
	}
	m.must(http.MethodGet, "/rounds/"+r.ID+"/report", coord, nil, http.StatusOK, &rep)
	tot := rep.Totals
	if tot.Applicants != 6 || tot.Matched != 3 || tot.Unmatched != 3 || tot.Seats != 4 || tot.Offered != 4 || tot.Filled != 1 {
		t.Fatalf("report totals = %+v, want 6 applicants, 3 matched, 3 unmatched, 4 seats, 4 offered, 1 filled", tot)
	}
	unmatched := map[string]int{}
	for _, u := range rep.Unmatched {
		unmatched[u.Code] = u.Count
	}
	// a6 lost p3 to a2 in the first runs; in the last one p3's only seat
	// was already taken by a fixed match.
	if !maps.Equal(unmatched, map[string]int{"declined": 1, "rejected": 1, "no_seats": 1}) {
		t.Errorf("unmatched reasons = %v, want declined, rejected and no_seats once each", unmatched)
	}
	// Six applicants: each home country is a group of fewer than 10, so
	// it is listed as "<10" without numbers.
	if len(rep.ByHomeCountry) == 0 {
		t.Error("the report lists no home country")
	}
	for _, g := range rep.ByHomeCountry {
		if !g.Suppressed || g.Display != "<10" || g.Applicants != 0 || g.Matched != 0 {
			t.Errorf("home country group %+v shows numbers for fewer than 10 people", g)
		}
	}
	choices := 0
	for _, c := range rep.Choices {
		choices += c.Count
	}
	if choices != tot.Matched {
		t.Errorf("report choices add up to %d, want %d", choices, tot.Matched)
	}

	// Every step is in the audit trail and on the stream.
	var audit list[struct {
		Action    string `json:"action"`
		ActorID   string `json:"actorId"`
		ActorRole string `json:"actorRole"`
		Note      string `json:"note"`
	}]
	m.must(http.MethodGet, "/audit?entity=match:"+rejected, coord, nil, http.StatusOK, &audit)
	if len(audit.Items) != 1 || audit.Items[0].Action != "match.rejected" || audit.Items[0].Note != "documents missing" || audit.Items[0].ActorRole != "coordinator" {
		t.Errorf("audit of the rejected match = %+v, want one match.rejected by a coordinator with the reason", audit.Items)
	}
	m.must(http.MethodGet, "/audit?entity=round:"+r.ID+"&pageSize=100", coord, nil, http.StatusOK, &audit)
	// Issue 16, finding 5: one paging bound for every list.
	m.must(http.MethodGet, "/audit?entity=round:"+r.ID+"&page=10001", coord, nil, http.StatusBadRequest, nil)
	actions := map[string]int{}
	for _, e := range audit.Items {
		actions[e.Action]++
	}
	if actions["round.created"] != 1 || actions["round.run.started"] != 3 || actions["round.completed"] != 3 || actions["round.published"] != 1 {
		t.Errorf("round audit actions = %v, want created 1, run started 3, completed 3, published 1", actions)
	}
	m.must(http.MethodGet, "/audit?entity="+ms["a1 "+m.p2].ID, coord, nil, http.StatusOK, &audit)
	if got := len(audit.Items); got != 3 {
		t.Errorf("audit of a1's match has %d entries, want 3 (approved, published, declined)", got)
	}
	platformtest.ConsumerSettled(t, m.env.Deps.Bus, "MATCHING", "matching-audit", 0)
	for subject, n := range map[string]int{events.MatchProposed: 5, events.MatchApproved: 4, events.MatchRejected: 1,
		// round.completed: three runs and the publication.
		events.MatchPublished: 4, events.OfferAccepted: 1, events.OfferDeclined: 1, events.RoundCompleted: 4,
		events.ApplicationSubmitted: 13} {
		evs := platformtest.StreamEvents(t, m.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: subject})
		if len(evs) != n {
			t.Errorf("%d %s events on the stream, want %d", len(evs), subject, n)
		}
		if subject == events.OfferDeclined && len(evs) == 1 {
			var p matchingev.MatchChanged
			if err := evs[0].Decode(&p); err != nil || p.HostID != "h1" || p.ApplicantID != "a1" || p.Status != "declined" {
				t.Errorf("offer.declined = %+v (%v), want a1's declined match with host h1", p, err)
			}
		}
	}
}

// TestRoundExplainsIneligibility: an applicant who applied and ranked a
// program, then changed their profile so that they no longer qualify, is
// not matched to it and is told why in the eligibility rules' words; the
// run is timed in tb_round_duration_seconds.
func TestRoundExplainsIneligibility(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	in, both := programSnap("in-"+newID(), "h1", 1), programSnap("both-"+newID(), "h1", 1)
	in.Eligibility.HomeCountries = []string{"IN"}
	w.putProgram(in, 1)
	w.putProgram(both, 1)
	w.putProfile(profileSnap("e1", "IN", true), 1)
	w.waitVersion("programs", in.ID, 1)
	w.waitVersion("programs", both.ID, 1)
	w.waitVersion("profiles", "e1", 1)
	tok := w.token("e1", auth.RoleApplicant)
	for _, p := range []string{in.ID, both.ID} {
		w.must(http.MethodPost, "/applications", tok, map[string]string{"programId": p}, http.StatusCreated, nil)
	}
	w.must(http.MethodPut, "/applications/me/ranking", tok, map[string]any{"programIds": []string{in.ID, both.ID}}, http.StatusOK, nil)
	w.putProfile(profileSnap("e1", "JP", true), 2) // moved: no longer Indian
	w.waitVersion("profiles", "e1", 2)

	var r round
	w.must(http.MethodPost, "/rounds", w.coordinator(), map[string]any{"name": "E", "programIds": []string{in.ID, both.ID}}, http.StatusCreated, &r)
	if r.Seed < 0 {
		t.Errorf("drawn seed = %d, want a recorded non-negative seed", r.Seed)
	}
	w.runRound(r.ID)
	var ms list[match]
	w.must(http.MethodGet, "/matches?status=proposed&roundId="+r.ID, w.coordinator(), nil, http.StatusOK, &ms)
	if len(ms.Items) != 1 || ms.Items[0].ProgramID != both.ID || ms.Items[0].Choice != 2 {
		t.Fatalf("proposed = %+v, want e1 at %s as 2nd choice", ms.Items, both.ID)
	}
	var ex list[struct {
		Reasons []struct {
			Code string `json:"code"`
			Text string `json:"text"`
		} `json:"reasons"`
	}]
	w.must(http.MethodGet, "/rounds/"+r.ID+"/explanations", w.coordinator(), nil, http.StatusOK, &ex)
	if len(ex.Items) != 1 || len(ex.Items[0].Reasons) != 1 || ex.Items[0].Reasons[0].Code != "round.not_eligible" ||
		!strings.Contains(ex.Items[0].Reasons[0].Text, "Home country Japan is not accepted") {
		t.Fatalf("explanations = %+v, want one not-eligible reason naming the home country rule", ex.Items)
	}
	var rounds list[round]
	w.must(http.MethodGet, "/rounds", w.coordinator(), nil, http.StatusOK, &rounds)
	if rounds.Total != 1 || rounds.Items[0].Counts.Proposed != 1 {
		t.Errorf("GET /rounds = %+v, want the one round with 1 proposed", rounds)
	}
	metrics := w.env.Do(t, http.MethodGet, "/metrics", "", nil)
	if !strings.Contains(string(metrics.Body), `tb_round_duration_seconds_count{outcome="completed"}`) {
		t.Error("/metrics has no tb_round_duration_seconds for completed runs")
	}
}
