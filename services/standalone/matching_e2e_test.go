package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// The matching flow end to end, over HTTP, on the standalone composition
// (startInProcess: serve() with embedded NATS and FerretDB and every
// service, as `go run ./services/standalone` runs them): accounts and
// tokens from the real gateway, programs from the programs service,
// profiles from the profiles service, the round from the matching service,
// notifications from the gateway's inbox. The result of each run is
// compared with an applicant-optimal stable matching computed here, by a
// textbook deferred acceptance written for this test, from the same
// preferences.

// Accounts of the test.
const (
	matchAdminEmail    = "admin@matching-e2e.example"
	matchAdminPassword = "granite orchid lantern seventy"
	matchPassword      = "violet kettle drums at noon"
)

// matchFlow is a client of the running platform.
type matchFlow struct {
	t    *testing.T
	base string
}

type matchResponse struct {
	status int
	body   []byte
}

func (f *matchFlow) call(method, path, token string, body any) matchResponse {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, f.base+"/api/v1"+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return matchResponse{status: resp.StatusCode, body: raw}
}

func (f *matchFlow) must(method, path, token string, body any, want int, out any) {
	f.t.Helper()
	r := f.call(method, path, token, body)
	if r.status != want {
		f.t.Fatalf("%s %s = %d %s, want %d", method, path, r.status, r.body, want)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			f.t.Fatalf("%s %s: decode %s: %v", method, path, r.body, err)
		}
	}
}

// login signs in through the gateway and returns the access token.
func (f *matchFlow) login(email, password string) string {
	f.t.Helper()
	var tk struct {
		AccessToken string `json:"accessToken"`
	}
	f.must(http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": password}, http.StatusOK, &tk)
	return tk.AccessToken
}

// eventually retries a request until it answers want: the services learn
// of each other's changes through events.
func (f *matchFlow) eventually(method, path, token string, body any, want int, out any) {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := f.call(method, path, token, body)
		if r.status == want {
			if out != nil {
				if err := json.Unmarshal(r.body, out); err != nil {
					f.t.Fatalf("%s %s: decode %s: %v", method, path, r.body, err)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%s %s = %d %s, want %d within 30s", method, path, r.status, r.body, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (f *matchFlow) waitFor(what string, check func() error) {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%s: not within 30s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// signup makes an account and returns its id and an access token.
func (f *matchFlow) signup(email, role, name, org string) (string, string) {
	f.t.Helper()
	var u struct {
		ID string `json:"id"`
	}
	body := map[string]string{"email": email, "password": matchPassword, "role": role, "name": name}
	if org != "" {
		body["organization"] = org
	}
	f.must(http.MethodPost, "/auth/signup", "", body, http.StatusCreated, &u)
	return u.ID, f.login(email, matchPassword)
}

func matchDay(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }

// coordinator has the admin make a coordinator at domain and returns its
// token.
func (f *matchFlow) coordinator(domain string) string {
	admin := f.login(matchAdminEmail, matchAdminPassword)
	f.must(http.MethodPost, "/auth/users", admin, map[string]string{"email": "coord@" + domain,
		"password": matchPassword, "name": "Coordinator"}, http.StatusCreated, nil)
	return f.login("coord@"+domain, matchPassword)
}

// hostedProgram makes a coordinator at domain, a verified host (local part
// hostLocal) of org, and a published one-seat program in Japan (region)
// open to Indian and Japanese applicants; it returns the host's token and
// the program's id.
func (f *matchFlow) hostedProgram(domain, hostLocal, hostName, org, title, region string) (host, programID string) {
	coord := f.coordinator(domain)
	hostID, _ := f.signup(hostLocal+"@"+domain, "host", hostName, org)
	f.must(http.MethodPost, "/auth/users/"+hostID+"/verify", coord, nil, http.StatusOK, nil)
	host = f.login(hostLocal+"@"+domain, matchPassword)
	var program struct {
		ID string `json:"id"`
	}
	f.eventually(http.MethodPost, "/programs", host, matchProgramBody(title, org, "JP", region, 1, []string{"IN", "JP"}), http.StatusCreated, &program)
	f.must(http.MethodPost, "/programs/"+program.ID+"/publish", host, nil, http.StatusOK, nil)
	return host, program.ID
}

func matchProgramBody(title, hostOrg, country, region string, seats int, homeCountries []string) map[string]any {
	elig := map[string]any{"applicantKinds": []string{"student", "researcher"}}
	if homeCountries != nil {
		elig["homeCountries"] = homeCountries
	}
	return map[string]any{
		"title": title, "description": "Joint research on machine learning for disaster response.",
		"kind": "joint_research", "hostOrg": hostOrg, "hostCountry": country, "region": region,
		"fields": []string{"1.2"}, "skills": []string{"python", "machine learning"}, "seats": seats,
		"startDate": matchDay(120), "endDate": matchDay(240), "applicationDeadline": matchDay(60),
		"eligibility": elig,
	}
}

func matchProfileBody(name, country string) map[string]any {
	region, langs := "Tamil Nadu", []any{map[string]string{"code": "en", "level": "C1"}}
	if country == "JP" {
		region, langs = "Tokyo", []any{map[string]string{"code": "ja", "level": "native"}, map[string]string{"code": "en", "level": "B2"}}
	}
	gender := "female"
	if strings.HasSuffix(name, "2") || strings.HasSuffix(name, "5") {
		gender = "male"
	}
	return map[string]any{
		"kind": "student", "name": name, "homeCountry": country, "institution": "University of " + region,
		"region": region, "fields": []string{"1.2"}, "skills": []string{"python", "nlp"}, "languages": langs,
		"degreeLevel": "master", "birthYear": 2000, "availableFrom": matchDay(0), "availableTo": matchDay(730),
		"preferences": map[string]any{"programKinds": []string{"joint_research"}, "hostRegions": []string{}},
		"statement":   "I want to build tools that help in disasters.", "gender": gender,
		"consents": map[string]any{"noticeVersion": "2026-12", "dataProcessing": true, "crossBorderTransfer": true, "visibleToHosts": true},
	}
}

// matchInstance is a matching problem as this test sees it: each applicant's
// acceptable programs in order, each program's acceptable applicants in
// order, and capacities.
type matchInstance struct {
	prefs    map[string][]string
	order    map[string][]string
	capacity map[string]int
}

// matchDeferredAcceptance is the textbook applicant-proposing algorithm
// (Gale–Shapley with capacities): free applicants propose down their lists;
// a program holds its best proposers up to capacity and rejects the rest.
// It returns applicant → program.
func matchDeferredAcceptance(in matchInstance) map[string]string {
	rank := map[string]map[string]int{}
	for p, order := range in.order {
		rank[p] = map[string]int{}
		for i, a := range order {
			rank[p][a] = i
		}
	}
	next := map[string]int{}
	held := map[string][]string{}
	free := slices.Sorted(maps.Keys(in.prefs))
	for len(free) > 0 {
		a := free[0]
		free = free[1:]
		for next[a] < len(in.prefs[a]) {
			p := in.prefs[a][next[a]]
			next[a]++
			if _, listed := rank[p][a]; !listed || in.capacity[p] == 0 {
				continue
			}
			held[p] = append(held[p], a)
			slices.SortFunc(held[p], func(x, y string) int { return rank[p][x] - rank[p][y] })
			if len(held[p]) <= in.capacity[p] {
				break
			}
			worst := held[p][len(held[p])-1]
			held[p] = held[p][:in.capacity[p]]
			if worst != a {
				free = append(free, worst)
				break
			}
		}
	}
	out := map[string]string{}
	for p, as := range held {
		for _, a := range as {
			out[a] = p
		}
	}
	return out
}

func TestMatchingEndToEnd(t *testing.T) {
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword,
		"TB_LOGIN_LIMIT", "1000") // a dozen sign-ins from one address
	f := &matchFlow{t: t, base: p.URL}

	// The admin makes a coordinator; two hosts sign up and are verified.
	admin := f.login(matchAdminEmail, matchAdminPassword)
	f.must(http.MethodPost, "/auth/users", admin, map[string]string{"email": "coord@talentbridge.example",
		"password": matchPassword, "name": "Coordinator"}, http.StatusCreated, nil)
	coord := f.login("coord@talentbridge.example", matchPassword)
	hostIDs, hosts := map[string]string{}, map[string]string{}
	for _, h := range []struct{ key, org string }{{"h1", "Tohoku University"}, {"h2", "Bengaluru Robotics Pvt Ltd"}} {
		id, _ := f.signup(h.key+"@hosts.example", "host", "Host "+h.key, h.org)
		f.must(http.MethodPost, "/auth/users/"+id+"/verify", coord, nil, http.StatusOK, nil)
		hostIDs[h.key] = id
		hosts[h.key] = f.login(h.key+"@hosts.example", matchPassword)
	}

	// Three programs with 1, 2 and 1 seats: P2 takes Indian applicants only
	// (the default for a program in Japan), P1 and P3 both countries.
	prog := map[string]string{}
	for _, p := range []struct {
		key, host, country, region string
		seats                      int
		homes                      []string
	}{
		{"P1", "h1", "JP", "Miyagi", 1, []string{"IN", "JP"}},
		{"P2", "h1", "JP", "Miyagi", 2, nil},
		{"P3", "h2", "IN", "Karnataka", 1, []string{"IN", "JP"}},
	} {
		var created struct {
			ID string `json:"id"`
		}
		f.eventually(http.MethodPost, "/programs", hosts[p.host],
			matchProgramBody("Program "+p.key, "Org of "+p.host, p.country, p.region, p.seats, p.homes), http.StatusCreated, &created)
		f.must(http.MethodPost, "/programs/"+created.ID+"/publish", hosts[p.host], nil, http.StatusOK, nil)
		prog[p.key] = created.ID
	}
	key := map[string]string{} // program id → P1, P2, P3
	for k, id := range prog {
		key[id] = k
	}

	// Six applicants, three Indian and three Japanese, make profiles, apply
	// and rank; a6 ranks nothing (one application is its own order).
	applies := map[string][]string{
		"a1": {"P1", "P2", "P3"}, "a2": {"P1", "P3", "P2"}, "a3": {"P2", "P1"},
		"a4": {"P1", "P3"}, "a5": {"P3", "P1"}, "a6": {"P3"},
	}
	ids, tokens := map[string]string{}, map[string]string{}
	name := map[string]string{} // account id → a1…a6
	for _, a := range slices.Sorted(maps.Keys(applies)) {
		country := "IN"
		if a >= "a4" {
			country = "JP"
		}
		ids[a], tokens[a] = f.signup(a+"@people.example", "applicant", "Applicant "+a, "")
		name[ids[a]] = a
		f.must(http.MethodPost, "/profiles", tokens[a], matchProfileBody("Applicant "+a, country), http.StatusCreated, nil)
		var ranked []string
		for _, p := range applies[a] {
			f.eventually(http.MethodPost, "/applications", tokens[a], map[string]string{"programId": prog[p]}, http.StatusCreated, nil)
			ranked = append(ranked, prog[p])
		}
		if a != "a6" {
			f.must(http.MethodPut, "/applications/me/ranking", tokens[a], map[string]any{"programIds": ranked}, http.StatusOK, nil)
		}
	}

	// The hosts rank: h1 all applicants of P1 and P2, h2 all of P3 but a1,
	// who therefore comes last at P3.
	hostOrders := map[string][]string{
		"P1": {"a4", "a2", "a1", "a5", "a3"}, "P2": {"a1", "a3", "a2"}, "P3": {"a5", "a2", "a6", "a4"},
	}
	for p, order := range hostOrders {
		var accounts []string
		for _, a := range order {
			accounts = append(accounts, ids[a])
		}
		host := hosts["h1"]
		if p == "P3" {
			host = hosts["h2"]
		}
		f.must(http.MethodPut, "/programs/"+prog[p]+"/ranking", host, map[string]any{"applicantIds": accounts}, http.StatusOK, nil)
	}
	// A host never sees the other host's candidates.
	if r := f.call(http.MethodGet, "/programs/"+prog["P3"]+"/candidates", hosts["h1"], nil); r.status != http.StatusNotFound {
		t.Errorf("h1 reads P3's candidates = %d, want 404", r.status)
	}

	// The same preferences, for the test's own deferred acceptance.
	instance := matchInstance{prefs: map[string][]string{}, order: map[string][]string{}, capacity: map[string]int{"P1": 1, "P2": 2, "P3": 1}}
	for a, ps := range applies {
		instance.prefs[a] = slices.Clone(ps)
	}
	for p, order := range hostOrders {
		instance.order[p] = slices.Clone(order)
	}
	for _, a := range slices.Sorted(maps.Keys(applies)) {
		if slices.Contains(applies[a], "P3") && !slices.Contains(hostOrders["P3"], a) {
			instance.order["P3"] = append(instance.order["P3"], a) // unranked: after the ranked ones
		}
	}

	var rnd apimatching.Round
	f.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Spring exchange 2027",
		"programIds": []string{prog["P1"], prog["P2"], prog["P3"]}, "seed": 2027}, http.StatusCreated, &rnd)
	// Demand counts, as an applicant of the round reads them, equal the
	// rank lists (a6 has none); a host may not read them.
	var demand apimatching.DemandList
	f.must(http.MethodGet, "/rounds/"+rnd.ID+"/demand", tokens["a1"], nil, http.StatusOK, &demand)
	for _, d := range demand.Items {
		ranked, first := 0, 0
		for a, ps := range applies {
			if i := slices.Index(ps, key[d.ProgramID]); a != "a6" && i >= 0 {
				ranked++
				if i == 0 {
					first++
				}
			}
		}
		if d.Ranked != ranked || d.RankedFirst != first || d.Seats != instance.capacity[key[d.ProgramID]] {
			t.Errorf("demand of %s = %+v, want seats %d, ranked %d, first %d", key[d.ProgramID], d, instance.capacity[key[d.ProgramID]], ranked, first)
		}
	}
	if len(demand.Items) != 3 {
		t.Errorf("demand = %+v, want three programs", demand.Items)
	}
	if r := f.call(http.MethodGet, "/rounds/"+rnd.ID+"/demand", hosts["h1"], nil); r.status != http.StatusForbidden {
		t.Errorf("a host reads demand = %d, want 403", r.status)
	}

	run := func() apimatching.Round {
		t.Helper()
		var r apimatching.Round
		f.must(http.MethodPost, "/rounds/"+rnd.ID+"/run", coord, nil, http.StatusAccepted, &r)
		runs := r.Runs + 1
		f.waitFor("round run", func() error {
			f.must(http.MethodGet, "/rounds/"+rnd.ID, coord, nil, http.StatusOK, &r)
			if r.Status != "completed" || r.Runs < runs {
				return fmt.Errorf("round is %s after %d runs %s", r.Status, r.Runs, r.LastError)
			}
			return nil
		})
		return r
	}
	matches := func() map[string]apimatching.Match {
		t.Helper()
		var l struct {
			Items []apimatching.Match `json:"items"`
		}
		f.must(http.MethodGet, "/rounds/"+rnd.ID+"/matches", coord, nil, http.StatusOK, &l)
		out := map[string]apimatching.Match{}
		for _, m := range l.Items {
			out[name[m.ApplicantID]] = m
		}
		return out
	}
	proposed := func(ms map[string]apimatching.Match) map[string]string {
		out := map[string]string{}
		for a, m := range ms {
			if m.Status == "proposed" {
				out[a] = key[m.ProgramID]
			}
		}
		return out
	}

	// First run: the applicant-optimal stable matching.
	if r := run(); r.BlockingPairs != 0 {
		t.Errorf("first run blockingPairs = %d, want 0", r.BlockingPairs)
	}
	want := matchDeferredAcceptance(instance)
	ms := matches()
	if got := proposed(ms); !maps.Equal(got, want) {
		t.Fatalf("first run proposed %v, want %v (deferred acceptance)", got, want)
	}
	if len(want) != 4 || want["a5"] != "P3" {
		t.Fatalf("the test's own deferred acceptance gave %v; the scenario expects four matches with a5 at P3", want)
	}

	// The coordinator rejects a5's match and approves the others.
	f.must(http.MethodPost, "/matches/"+ms["a5"].ID+"/reject", coord, map[string]string{"reason": "visa timing does not work"}, http.StatusOK, nil)
	approved := map[string]string{}
	for a, p := range want {
		if a != "a5" {
			f.must(http.MethodPost, "/matches/"+ms[a].ID+"/approve", coord, map[string]string{"note": "fits"}, http.StatusOK, nil)
			approved[a] = p
		}
	}

	// The re-run keeps the approved matches fixed, excludes the rejected
	// pair and fills the freed seat.
	rerun := matchInstance{prefs: map[string][]string{}, order: instance.order, capacity: maps.Clone(instance.capacity)}
	for _, p := range approved {
		rerun.capacity[p]--
	}
	for a, ps := range instance.prefs {
		if _, fixed := approved[a]; fixed {
			continue
		}
		if a == "a5" {
			ps = slices.DeleteFunc(slices.Clone(ps), func(p string) bool { return p == "P3" })
		}
		rerun.prefs[a] = ps
	}
	if r := run(); r.BlockingPairs != 0 {
		t.Errorf("re-run blockingPairs = %d, want 0", r.BlockingPairs)
	}
	want2 := matchDeferredAcceptance(rerun)
	ms = matches()
	if got := proposed(ms); !maps.Equal(got, want2) || len(want2) != 1 {
		t.Fatalf("re-run proposed %v, want %v (the freed seat refilled)", got, want2)
	}
	for a, p := range approved {
		if ms[a].Status != "approved" || key[ms[a].ProgramID] != p {
			t.Errorf("after the re-run %s holds %s %s, want %s approved (fixed)", a, key[ms[a].ProgramID], ms[a].Status, p)
		}
	}
	if ms["a5"].Status != "rejected" {
		t.Errorf("a5's match after the re-run is %s, want rejected", ms["a5"].Status)
	}
	for a := range want2 {
		f.must(http.MethodPost, "/matches/"+ms[a].ID+"/approve", coord, nil, http.StatusOK, nil)
	}

	// Publish with offers to be answered within 15 seconds; one applicant
	// accepts, one declines, and the other two offers expire unanswered.
	respondBy := time.Now().Add(15 * time.Second).UTC().Truncate(time.Second)
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/publish", coord, map[string]string{"respondBy": respondBy.Format(time.RFC3339)}, http.StatusOK, nil)
	f.must(http.MethodPost, "/matches/"+ms["a4"].ID+"/accept", tokens["a4"], nil, http.StatusOK, nil)
	if r := f.call(http.MethodPost, "/matches/"+ms["a1"].ID+"/decline", tokens["a4"], nil); r.status != http.StatusNotFound {
		t.Errorf("a4 declines a1's offer = %d, want 404", r.status)
	}
	f.must(http.MethodPost, "/matches/"+ms["a1"].ID+"/decline", tokens["a1"], nil, http.StatusOK, nil)
	unanswered := []string{"a2", "a3"}
	if !maps.Equal(want2, map[string]string{"a2": "P3"}) || want["a3"] != "P2" {
		t.Fatalf("the scenario expects a2 at P3 and a3 at P2 unanswered; the rounds gave %v and %v", want, want2)
	}
	for _, a := range unanswered {
		var mine struct {
			Items []apimatching.Match `json:"items"`
		}
		f.must(http.MethodGet, "/matches/me", tokens[a], nil, http.StatusOK, &mine)
		if len(mine.Items) != 1 || mine.Items[0].RespondBy == nil || !mine.Items[0].RespondBy.Equal(respondBy) {
			t.Errorf("%s's offer = %+v, want respondBy %v", a, mine.Items, respondBy)
		}
	}
	time.Sleep(time.Until(respondBy))
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms = matches()
		if ms["a2"].Status == "expired" && ms["a3"].Status == "expired" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30s after respondBy a2's offer is %s and a3's %s, want both expired", ms["a2"].Status, ms["a3"].Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, a := range unanswered {
		r := f.call(http.MethodPost, "/matches/"+ms[a].ID+"/accept", tokens[a], nil)
		if r.status != http.StatusConflict || !strings.Contains(string(r.body), "offer_expired") {
			t.Errorf("%s accepts an expired offer = %d %s, want 409 offer_expired", a, r.status, r.body)
		}
	}
	if ms["a4"].Status != "accepted" || ms["a1"].Status != "declined" {
		t.Errorf("answered offers: a4 %s, a1 %s; want accepted, declined", ms["a4"].Status, ms["a1"].Status)
	}

	// Notifications reach the applicants and the host.
	inbox := func(token string, codes ...string) {
		t.Helper()
		f.waitFor("notifications "+strings.Join(codes, ", "), func() error {
			var page struct {
				Items []struct {
					Code string `json:"code"`
				} `json:"items"`
			}
			f.must(http.MethodGet, "/notifications/me?pageSize=100", token, nil, http.StatusOK, &page)
			have := map[string]bool{}
			for _, n := range page.Items {
				have[n.Code] = true
			}
			for _, c := range codes {
				if !have[c] {
					return fmt.Errorf("no %s notification among %v", c, slices.Sorted(maps.Keys(have)))
				}
			}
			return nil
		})
	}
	inbox(tokens["a4"], "application.submitted", "offer.received", "offer.accepted.self")
	inbox(tokens["a1"], "application.submitted", "offer.received", "offer.declined.self")
	inbox(tokens["a2"], "offer.received", "offer.reminder", "offer.expired.self")
	inbox(tokens["a3"], "offer.received", "offer.reminder", "offer.expired.self")
	inbox(hosts["h1"], "application.received", "match.published", "offer.accepted", "offer.declined")
	inbox(hosts["h1"], "offer.expired")
	inbox(hosts["h2"], "application.received", "match.published", "offer.expired")

	// The audit trail has every step.
	audit := func(entity string) map[string]int {
		t.Helper()
		var page struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		f.must(http.MethodGet, "/audit?pageSize=100&entity="+entity, coord, nil, http.StatusOK, &page)
		out := map[string]int{}
		for _, e := range page.Items {
			out[e.Action]++
		}
		return out
	}
	if got, want := audit("round:"+rnd.ID), map[string]int{"round.created": 1, "round.run.started": 2, "round.completed": 2, "round.published": 1}; !maps.Equal(got, want) {
		t.Errorf("round audit = %v, want %v", got, want)
	}
	for a, actions := range map[string]map[string]int{
		"a5": {"match.rejected": 1},
		"a4": {"match.approved": 1, "match.published": 1, "offer.accepted": 1},
		"a1": {"match.approved": 1, "match.published": 1, "offer.declined": 1},
		"a2": {"match.approved": 1, "match.published": 1, "offer.expired": 1},
		"a3": {"match.approved": 1, "match.published": 1, "offer.expired": 1},
	} {
		if got := audit("match:" + ms[a].ID); !maps.Equal(got, actions) {
			t.Errorf("audit of %s's match = %v, want %v", a, got, actions)
		}
	}

	// The outcome report adds up.
	var rep apimatching.Report
	f.must(http.MethodGet, "/rounds/"+rnd.ID+"/report", coord, nil, http.StatusOK, &rep)
	tot := rep.Totals
	if tot.Applicants != 6 || tot.Matched+tot.Unmatched != tot.Applicants || tot.Matched != 1 || tot.Seats != 4 || tot.Offered != 4 || tot.Filled != 1 {
		t.Errorf("report totals = %+v, want 6 applicants, 1 matched (a4; a2's and a3's offers expired), 4 seats, 4 offered, 1 filled", tot)
	}
	seats, matched, offered, filled := 0, 0, 0, 0
	for _, p := range rep.Programs {
		seats, matched, offered, filled = seats+p.Seats, matched+p.Matched, offered+p.Offered, filled+p.Filled
	}
	if seats != tot.Seats || matched != tot.Matched || offered != tot.Offered || filled != tot.Filled {
		t.Errorf("per-program sums %d/%d/%d/%d, want the totals %+v", seats, matched, offered, filled, tot)
	}
	// Six applicants: every group of every breakdown is under 10 people
	// and shows "<10", never a number (a report once read "Non-binary 0 %
	// (0 of 1)").
	for name, groups := range map[string][]apimatching.GroupRate{"byHomeCountry": rep.ByHomeCountry, "byKind": rep.ByKind, "byDegreeLevel": rep.ByDegreeLevel, "byGender": rep.ByGender} {
		if len(groups) == 0 {
			t.Errorf("%s lists no group", name)
		}
		for _, g := range groups {
			if !g.Suppressed || g.Display != "<10" || g.Applicants != 0 || g.Matched != 0 || g.Rate != 0 {
				t.Errorf("%s group %+v shows numbers for fewer than 10 people", name, g)
			}
		}
	}
	choices := 0
	for _, c := range rep.Choices {
		choices += c.Count
	}
	reasons := map[string]int{}
	unmatched := 0
	for _, u := range rep.Unmatched {
		reasons[u.Code] = u.Count
		unmatched += u.Count
	}
	if choices != tot.Matched || unmatched != tot.Unmatched {
		t.Errorf("choices add up to %d and unmatched reasons to %d, want %d and %d", choices, unmatched, tot.Matched, tot.Unmatched)
	}
	if !maps.Equal(reasons, map[string]int{"declined": 1, "rejected": 1, "filled": 1, "expired": 2}) {
		t.Errorf("unmatched reasons = %v, want a1 declined, a5 rejected, a6 filled, a2 and a3 expired", reasons)
	}

	// A vacancy round over what is left: P2's two seats (declined and
	// expired) and P3's (expired); P1's seat was accepted. Everyone but
	// a4, who accepted, takes part, without the programs they declined,
	// let expire or were rejected from; the outcome is the test's own
	// deferred acceptance over those preferences, with 0 blocking pairs.
	var vr apimatching.Round
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/vacancy", coord, map[string]any{"name": "Second chance", "offerDays": 2}, http.StatusCreated, &vr)
	if vr.VacancyOf != rnd.ID || vr.Seats[prog["P2"]] != 2 || vr.Seats[prog["P3"]] != 1 || len(vr.ProgramIDs) != 2 {
		t.Fatalf("vacancy round = %+v, want P2 (2 seats) and P3 (1 seat)", vr)
	}
	vacancy := matchInstance{prefs: map[string][]string{}, order: instance.order, capacity: map[string]int{"P2": 2, "P3": 1}}
	gone := map[string]string{"a1": "P2", "a3": "P2", "a2": "P3", "a5": "P3"} // declined, expired, expired, rejected
	for a, ps := range instance.prefs {
		if a == "a4" {
			continue
		}
		vacancy.prefs[a] = slices.DeleteFunc(slices.Clone(ps), func(p string) bool { return p == "P1" || p == gone[a] })
	}
	rnd = vr
	if r := run(); r.BlockingPairs != 0 {
		t.Errorf("vacancy run blockingPairs = %d, want 0", r.BlockingPairs)
	}
	want3 := matchDeferredAcceptance(vacancy)
	if got := proposed(matches()); !maps.Equal(got, want3) || len(want3) == 0 {
		t.Errorf("vacancy round proposed %v, want %v (deferred acceptance over the leftovers)", got, want3)
	}
	if _, again := proposed(matches())["a4"]; again {
		t.Errorf("the vacancy round placed a4, who accepted an offer")
	}
}
