package matching_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

// sweepFast makes every replica look for lapsed offers ten times a second.
var sweepFast = matching.Options{OfferSweep: 100 * time.Millisecond}

// offer is the part of a match the offer tests read.
type offer struct {
	match
	RespondBy *time.Time `json:"respondBy"`
}

// publishMarket runs the market's round, approves every proposal and
// publishes with a respondBy ahead of the moment of publishing (taken
// then, so that a slow machine's set-up does not eat into it); it returns
// the round, its matches and the deadline.
func publishMarket(m *market, ahead time.Duration) (round, map[string]match, time.Time) {
	m.t.Helper()
	coord := m.coordinator()
	var r round
	m.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Offers", "programIds": []string{m.p1, m.p2, m.p3},
		"seed": 7, "offerDays": 3}, http.StatusCreated, &r)
	if done := m.runRound(r.ID); done.Counts.Proposed != 4 {
		ex := m.do(http.MethodGet, "/rounds/"+r.ID+"/explanations", coord, nil)
		m.t.Fatalf("run = %+v, want 4 proposals; explanations %s", done, ex.Body)
	}
	ms := m.matches(r.ID)
	for _, k := range pairs(ms, "proposed") {
		m.must(http.MethodPost, "/matches/"+ms[k].ID+"/approve", coord, nil, http.StatusOK, nil)
	}
	for _, bad := range []string{"tomorrow", time.Now().Add(-time.Minute).Format(time.RFC3339)} {
		if p := m.do(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, map[string]string{"respondBy": bad}).Problem(m.t); len(p.Errors) != 1 || p.Errors[0].Field != "respondBy" {
			m.t.Errorf("publish with respondBy %q = %+v, want a respondBy field error", bad, p)
		}
	}
	respondBy := time.Now().Add(ahead).Truncate(time.Second)
	m.must(http.MethodPost, "/rounds/"+r.ID+"/publish", coord, map[string]string{"respondBy": respondBy.Format(time.RFC3339)}, http.StatusOK, &r)
	return r, m.matches(r.ID), respondBy
}

// The market's round publishes four offers with a deadline seconds ahead:
// a4 accepts, a1 declines, and the replica that published stops before
// the deadline. After it no offer has expired, since nothing runs; then
// two replicas start on the same store and between them expire a3's and
// a5's offers exactly once each. Expired offers cannot be answered, and a
// vacancy round over what is left places a2 and nobody who accepted.
func TestOffersExpireOnceAcrossReplicasAndRestarts(t *testing.T) {
	t.Parallel()
	one := &world{t: t, env: platformtest.Start(t, platformtest.Options{}, matching.NewWithOptions(sweepFast))}
	m := marketOn(one)
	r, ms, deadline := publishMarket(m, 5*time.Second)
	if r.Status != "published" || r.Counts.Published != 4 {
		t.Fatalf("published round = %+v, want 4 offers", r)
	}
	var mine list[offer]
	one.must(http.MethodGet, "/matches/me", one.token("a3", auth.RoleApplicant), nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 || mine.Items[0].RespondBy == nil || !mine.Items[0].RespondBy.Equal(deadline) {
		t.Fatalf("a3's offer = %+v, want respondBy %v", mine.Items, deadline)
	}
	one.must(http.MethodPost, "/matches/"+ms["a4 "+m.p1].ID+"/accept", one.token("a4", auth.RoleApplicant), nil, http.StatusOK, nil)
	one.must(http.MethodPost, "/matches/"+ms["a1 "+m.p2].ID+"/decline", one.token("a1", auth.RoleApplicant), nil, http.StatusOK, nil)

	// The deadline is within a day: the open offers' applicants are
	// reminded of it, once each.
	reminders := func() map[string]int {
		out := map[string]int{}
		for _, ev := range platformtest.StreamEvents(t, one.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.OfferReminder}) {
			out[ev.Subject]++
		}
		return out
	}
	platformtest.Eventually(t, 10*time.Second, func() error {
		if got := reminders(); got[ms["a3 "+m.p2].ID] != 1 || got[ms["a5 "+m.p3].ID] != 1 {
			return fmt.Errorf("reminders per offer = %v, want a3's and a5's", got)
		}
		return nil
	})

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := one.env.Services[0].Stop(ctx); err != nil {
		t.Fatalf("stop the first replica: %v", err)
	}
	time.Sleep(time.Until(deadline) + 500*time.Millisecond)
	after := m.matches(r.ID) // through the stopped replica's HTTP server: reads only
	if got := pairs(after, "published"); len(got) != 2 {
		t.Fatalf("published offers with no replica sweeping = %v, want a3's and a5's still published", got)
	}

	opts := platformtest.Options{NATSURL: one.env.NATSURL, DBPrefix: one.env.Deps.DBPrefix}
	two := &world{t: t, env: platformtest.Start(t, opts, matching.NewWithOptions(sweepFast))}
	three := &world{t: t, env: platformtest.Start(t, opts, matching.NewWithOptions(sweepFast))}
	want := []string{"a3 " + m.p2, "a5 " + m.p3}
	platformtest.Eventually(t, 10*time.Second, func() error {
		got := pairs(m.matches(r.ID), "expired")
		if !slices.Equal(got, want) {
			return fmt.Errorf("expired = %v, want %v", got, want)
		}
		return nil
	})
	// Give both sweepers many more passes, then count the events.
	time.Sleep(time.Second)
	evs := platformtest.WaitEvents(t, two.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.OfferExpired}, 2)
	perMatch := map[string]int{}
	for _, ev := range evs {
		perMatch[ev.Subject]++
	}
	if len(evs) != 2 || perMatch[ms["a3 "+m.p2].ID] != 1 || perMatch[ms["a5 "+m.p3].ID] != 1 {
		t.Fatalf("offer.expired events per match = %v (%d in all), want one each for a3's and a5's offers", perMatch, len(evs))
	}
	for id, n := range reminders() {
		if n != 1 {
			t.Errorf("offer %s was reminded of %d times, want once", id, n)
		}
	}
	final := m.matches(r.ID)
	if final["a4 "+m.p1].Status != "accepted" || final["a1 "+m.p2].Status != "declined" {
		t.Errorf("answered offers = %s, %s; want accepted, declined", final["a4 "+m.p1].Status, final["a1 "+m.p2].Status)
	}
	for _, w := range []*world{two, three} {
		for _, verb := range []string{"accept", "decline"} {
			p := w.do(http.MethodPost, "/matches/"+ms["a3 "+m.p2].ID+"/"+verb, w.token("a3", auth.RoleApplicant), nil)
			if p.Status != http.StatusConflict || p.Problem(t).Code != "offer_expired" {
				t.Errorf("%s an expired offer = %d %s, want 409 offer_expired", verb, p.Status, p.Body)
			}
		}
	}
	var got round
	two.must(http.MethodGet, "/rounds/"+r.ID, two.coordinator(), nil, http.StatusOK, &got)
	var counts struct {
		Counts struct {
			Expired  int `json:"expired"`
			Accepted int `json:"accepted"`
			Declined int `json:"declined"`
		} `json:"counts"`
	}
	two.must(http.MethodGet, "/rounds/"+r.ID, two.coordinator(), nil, http.StatusOK, &counts)
	if c := counts.Counts; c.Expired != 2 || c.Accepted != 1 || c.Declined != 1 {
		t.Errorf("round counts = %+v, want 2 expired, 1 accepted, 1 declined", c)
	}

	// a3's data export carries the offer's deadline and its expiry.
	exportCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	msg, err := two.env.Deps.Bus.NC.RequestWithContext(exportCtx, profilesev.ExportSubject(profilesev.ServiceMatching), []byte(`{"userId":"a3"}`))
	if err != nil {
		t.Fatalf("export request: %v", err)
	}
	var part profilesev.ExportPart
	platformtest.DecodeJSON(t, msg.Data, &part)
	var data struct {
		Matches []struct {
			Status    string     `json:"status"`
			RespondBy *time.Time `json:"respondBy"`
		} `json:"matches"`
	}
	platformtest.DecodeJSON(t, part.Data, &data)
	if len(data.Matches) != 1 || data.Matches[0].Status != "expired" || data.Matches[0].RespondBy == nil || !data.Matches[0].RespondBy.Equal(deadline) {
		t.Errorf("a3's exported matches = %+v, want the expired offer with respondBy %v", data.Matches, deadline)
	}

	vacancyRound(t, two, m, r.ID)
}

// vacancyRound offers what round parent left: p2's two seats (one
// declined, one expired) and p3's (expired); p1's one seat was accepted.
// a4, who accepted, is not in it; a1, a3 and a5 cannot have the programs
// they declined or let expire; a2 ranks p3 before p2 and p3's host ranks
// a2 above a6, so the stable outcome is a2 at p3 alone.
func vacancyRound(t *testing.T, w *world, m *market, parent string) {
	coord := w.coordinator()
	var v struct {
		round
		VacancyOf string         `json:"vacancyOf"`
		OfferDays int            `json:"offerDays"`
		Seats     map[string]int `json:"seats"`
	}
	w.must(http.MethodPost, "/rounds/"+parent+"/vacancy", coord, map[string]any{"name": "Second chance", "offerDays": 1}, http.StatusCreated, &v)
	if v.VacancyOf != parent || v.OfferDays != 1 || !slices.Equal(v.ProgramIDs, []string{m.p2, m.p3}) ||
		v.Seats[m.p2] != 2 || v.Seats[m.p3] != 1 {
		t.Fatalf("vacancy round = %+v, want p2 (2 seats) and p3 (1 seat) of %s", v, parent)
	}
	if p := w.do(http.MethodPost, "/rounds/"+v.ID+"/vacancy", coord, map[string]any{"name": "Too soon"}); p.Status != http.StatusConflict {
		t.Errorf("vacancy of an unpublished round = %d, want 409", p.Status)
	}
	if p := w.do(http.MethodPost, "/rounds/"+parent+"/vacancy", coord, map[string]any{"name": "x", "offerDays": 99}); p.Status != http.StatusBadRequest && p.Status != http.StatusUnprocessableEntity {
		t.Errorf("vacancy with offerDays 99 = %d, want a validation error", p.Status)
	}
	for _, role := range []string{auth.RoleHost, auth.RoleApplicant} {
		if p := w.do(http.MethodPost, "/rounds/"+parent+"/vacancy", w.token("x1", role), map[string]any{"name": "x"}); p.Status != http.StatusForbidden {
			t.Errorf("%s creates a vacancy round = %d, want 403", role, p.Status)
		}
	}
	if p := w.do(http.MethodPost, "/rounds/"+newID()+"/vacancy", coord, map[string]any{"name": "x"}); p.Status != http.StatusNotFound {
		t.Errorf("vacancy round of an unknown round = %d, want 404", p.Status)
	}
	done := w.runRound(v.ID)
	if done.BlockingPairs != 0 {
		t.Fatalf("vacancy run has %d blocking pairs, want 0", done.BlockingPairs)
	}
	vm := (&market{world: w}).matches(v.ID)
	if got := pairs(vm, "proposed"); !slices.Equal(got, []string{"a2 " + m.p3}) {
		t.Errorf("vacancy proposals = %v, want [a2 %s]", got, m.p3)
	}
	for k := range vm {
		if k[:2] == "a4" {
			t.Errorf("vacancy round placed a4, who accepted an offer: %s", k)
		}
	}
}

// Demand counts equal what the applicants' rank lists say, read back
// from each applicant; applicants of the round see them, anyone else
// not.
func TestDemandCountsRankLists(t *testing.T) {
	t.Parallel()
	m := newMarket(t)
	var r round
	m.must(http.MethodPost, "/rounds", m.coordinator(), map[string]any{"name": "Demand", "programIds": []string{m.p1, m.p2, m.p3}}, http.StatusCreated, &r)
	type demand struct {
		ProgramID   string `json:"programId"`
		Seats       int    `json:"seats"`
		Ranked      int    `json:"ranked"`
		RankedFirst int    `json:"rankedFirst"`
	}
	want := map[string]*demand{m.p1: {ProgramID: m.p1, Seats: 1}, m.p2: {ProgramID: m.p2, Seats: 2}, m.p3: {ProgramID: m.p3, Seats: 1}}
	for i := 1; i <= 6; i++ {
		var l struct {
			ProgramIDs []string `json:"programIds"`
		}
		m.must(http.MethodGet, "/applications/me/ranking", m.token(fmt.Sprintf("a%d", i), auth.RoleApplicant), nil, http.StatusOK, &l)
		for j, p := range l.ProgramIDs {
			want[p].Ranked++
			if j == 0 {
				want[p].RankedFirst++
			}
		}
	}
	var got struct {
		Items []demand `json:"items"`
	}
	for _, tok := range []string{m.coordinator(), m.token("a6", auth.RoleApplicant)} {
		m.must(http.MethodGet, "/rounds/"+r.ID+"/demand", tok, nil, http.StatusOK, &got)
		if len(got.Items) != 3 {
			t.Fatalf("demand = %+v, want one item per program", got.Items)
		}
		for _, d := range got.Items {
			if d != *want[d.ProgramID] {
				t.Errorf("demand of %s = %+v, want %+v", d.ProgramID, d, *want[d.ProgramID])
			}
		}
	}
	if want[m.p1].Ranked != 5 || want[m.p1].RankedFirst != 3 {
		t.Errorf("the market's rank lists changed: p1 ranked %d, first %d; want 5 and 3", want[m.p1].Ranked, want[m.p1].RankedFirst)
	}
	if got := m.do(http.MethodGet, "/rounds/"+r.ID+"/demand", m.token("stranger", auth.RoleApplicant), nil); got.Status != http.StatusNotFound {
		t.Errorf("demand for an applicant without an application in the round = %d, want 404", got.Status)
	}
	if got := m.do(http.MethodGet, "/rounds/"+r.ID+"/demand", m.token("h1", auth.RoleHost), nil); got.Status != http.StatusForbidden {
		t.Errorf("demand for a host = %d, want 403", got.Status)
	}
	if got := m.do(http.MethodGet, "/rounds/"+newID()+"/demand", m.coordinator(), nil); got.Status != http.StatusNotFound {
		t.Errorf("demand of an unknown round = %d, want 404", got.Status)
	}
}
