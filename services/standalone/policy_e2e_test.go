package main

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// Rounds under an allocation policy, end to end over HTTP on the
// standalone platform (issue 18): a program with a seat reserved for
// women, two programs in a capped region, applicants who declared the
// category under its consent. The demand counts equal the rank lists; a
// mock run and the real run both give the outcome of DESIGN.md §5's rules
// as policyDeferredAcceptance below computes it (written from the rules,
// not from the engine); the mock saves no match. Offers published with a
// deadline 15 s ahead are accepted, declined or left to expire, and a
// vacancy round over what is left runs stable without the one who
// accepted.

// policyProgram is one program of the reference: seats, the reserved
// slots (category per slot, open slots first as reserveOrder "last"), and
// the program's order of applicants.
type policyProgram struct {
	seats   int
	reserve map[string]int
	order   []string
}

// policyRegion caps its programs (in round-robin order) with targets.
type policyRegion struct {
	cap      int
	programs []string
	targets  map[string]int
}

type policyInstance struct {
	prefs      map[string][]string
	categories map[string][]string
	programs   map[string]policyProgram
	regions    []policyRegion
}

// slots is a program's sequence of slots: "" for open, else the category.
func (p policyProgram) slots() []string {
	reserved := 0
	for _, n := range p.reserve {
		reserved += n
	}
	out := make([]string, 0, p.seats)
	for range p.seats - reserved {
		out = append(out, "")
	}
	for _, c := range slices.Sorted(maps.Keys(p.reserve)) {
		for range p.reserve[c] {
			out = append(out, c)
		}
	}
	return out
}

// fill takes up to n of p's slots, in order, from pool: an open slot the
// best remaining proposer, a reserved slot the best remaining one of its
// category or, with none, the best remaining of any kind.
func (in policyInstance) fill(p policyProgram, pool []string, n int) []string {
	rest := slices.Clone(pool)
	slices.SortFunc(rest, func(x, y string) int { return slices.Index(p.order, x) - slices.Index(p.order, y) })
	var took []string
	for _, cat := range p.slots()[:min(n, p.seats)] {
		if len(rest) == 0 {
			break
		}
		k := 0
		if cat != "" {
			if i := slices.IndexFunc(rest, func(a string) bool { return slices.Contains(in.categories[a], cat) }); i >= 0 {
				k = i
			}
		}
		took = append(took, rest[k])
		rest = slices.Delete(rest, k, k+1)
	}
	return took
}

// choose is the choice of every program from its proposers: alone, or in
// its region (each program its target first, then one slot at a time in
// the region's order until the cap).
func (in policyInstance) choose(pools map[string][]string) map[string][]string {
	held := map[string][]string{}
	inRegion := map[string]bool{}
	for _, r := range in.regions {
		n := map[string]int{}
		total := 0
		for _, p := range r.programs {
			inRegion[p] = true
			held[p] = in.fill(in.programs[p], pools[p], r.targets[p])
			n[p] = len(held[p])
			total += n[p]
		}
		for more := true; more && total < r.cap; {
			more = false
			for _, p := range r.programs {
				if total >= r.cap || n[p] >= in.programs[p].seats {
					continue
				}
				if next := in.fill(in.programs[p], pools[p], n[p]+1); len(next) > n[p] {
					held[p], n[p] = next, n[p]+1
					total++
					more = true
				}
			}
		}
	}
	for p, prog := range in.programs {
		if !inRegion[p] {
			held[p] = in.fill(prog, pools[p], prog.seats)
		}
	}
	return held
}

// policyDeferredAcceptance: applicants propose down their lists; the
// programs (and regions) keep what their choice takes from what they hold
// plus the new proposers and reject the rest, until no one is rejected.
func policyDeferredAcceptance(in policyInstance) map[string]string {
	next := map[string]int{}
	held := map[string][]string{}
	for {
		pools := map[string][]string{}
		for p, as := range held {
			pools[p] = slices.Clone(as)
		}
		proposed := false
		for _, a := range slices.Sorted(maps.Keys(in.prefs)) {
			holding := false
			for _, as := range held {
				holding = holding || slices.Contains(as, a)
			}
			if holding || next[a] >= len(in.prefs[a]) {
				continue
			}
			p := in.prefs[a][next[a]]
			next[a]++
			if slices.Contains(in.programs[p].order, a) {
				pools[p] = append(pools[p], a)
				proposed = true
			}
		}
		if !proposed {
			break
		}
		held = in.choose(pools)
	}
	out := map[string]string{}
	for p, as := range held {
		for _, a := range as {
			out[a] = p
		}
	}
	return out
}

func TestRoundPolicyEndToEnd(t *testing.T) {
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword, "TB_LOGIN_LIMIT", "1000")
	f := &matchFlow{t: t, base: p.URL}
	admin := f.login(matchAdminEmail, matchAdminPassword)
	f.must(http.MethodPost, "/auth/users", admin, map[string]string{"email": "coord@policy.example",
		"password": matchPassword, "name": "Coordinator"}, http.StatusCreated, nil)
	coord := f.login("coord@policy.example", matchPassword)
	hostID, host := f.signup("host@policy.example", "host", "Host", "Tohoku University")
	f.must(http.MethodPost, "/auth/users/"+hostID+"/verify", coord, nil, http.StatusOK, nil)
	host = f.login("host@policy.example", matchPassword)

	// PA: 2 seats, one reserved for women; PB and PC: 2 seats each, in
	// region Tohoku capped at 3 with a target of 1 each.
	ref := policyInstance{prefs: map[string][]string{}, categories: map[string][]string{}, programs: map[string]policyProgram{
		"PA": {seats: 2, reserve: map[string]int{"women": 1}, order: []string{"a1", "a2", "a8", "a5", "a3", "a6"}},
		"PB": {seats: 2, order: []string{"a5", "a4", "a1", "a3", "a7"}},
		"PC": {seats: 2, order: []string{"a6", "a7", "a4", "a2", "a8"}},
	}, regions: []policyRegion{{cap: 3, programs: []string{"PB", "PC"}, targets: map[string]int{"PB": 1, "PC": 1}}}}
	prog, key := map[string]string{}, map[string]string{}
	for _, k := range []string{"PA", "PB", "PC"} {
		body := matchProgramBody("Program "+k, "Tohoku University", "JP", "Miyagi", ref.programs[k].seats, []string{"IN", "JP"})
		if k == "PA" {
			body["reserves"] = []map[string]any{{"category": "women", "seats": 1}}
		}
		var created struct {
			ID string `json:"id"`
		}
		f.eventually(http.MethodPost, "/programs", host, body, http.StatusCreated, &created)
		f.must(http.MethodPost, "/programs/"+created.ID+"/publish", host, nil, http.StatusOK, nil)
		prog[k], key[created.ID] = created.ID, k
	}

	lists := map[string][]string{"a1": {"PA", "PB"}, "a2": {"PA", "PC"}, "a3": {"PA", "PB"}, "a4": {"PB", "PC"},
		"a5": {"PB", "PA"}, "a6": {"PC", "PA"}, "a7": {"PC", "PB"}, "a8": {"PA", "PC"}}
	women := map[string]bool{"a3": true, "a6": true}
	ids, tokens, name := map[string]string{}, map[string]string{}, map[string]string{}
	for _, a := range slices.Sorted(maps.Keys(lists)) {
		ids[a], tokens[a] = f.signup(a+"@policy-people.example", "applicant", "Applicant "+a, "")
		name[ids[a]] = a
		body := matchProfileBody("Applicant "+a, "IN")
		if women[a] {
			body["categories"] = []string{"women"}
			body["consents"].(map[string]any)["categories"] = true
			ref.categories[a] = []string{"women"}
		}
		f.must(http.MethodPost, "/profiles", tokens[a], body, http.StatusCreated, nil)
		var ranked []string
		for _, k := range lists[a] {
			f.eventually(http.MethodPost, "/applications", tokens[a], map[string]string{"programId": prog[k]}, http.StatusCreated, nil)
			ranked = append(ranked, prog[k])
		}
		f.must(http.MethodPut, "/applications/me/ranking", tokens[a], map[string]any{"programIds": ranked}, http.StatusOK, nil)
		ref.prefs[a] = slices.Clone(lists[a])
	}
	for k, pr := range ref.programs {
		var order []string
		for _, a := range pr.order {
			order = append(order, ids[a])
		}
		f.must(http.MethodPut, "/programs/"+prog[k]+"/ranking", host, map[string]any{"applicantIds": order}, http.StatusOK, nil)
	}
	want := policyDeferredAcceptance(ref)
	plain := ref
	plain.regions, plain.programs = nil, maps.Clone(ref.programs)
	pa := plain.programs["PA"]
	pa.reserve = nil
	plain.programs["PA"] = pa
	if got := policyDeferredAcceptance(plain); maps.Equal(got, want) {
		t.Fatalf("the scenario's policy changes nothing (%v); it must make the reserve and the cap matter", want)
	}

	var rnd apimatching.Round
	f.eventually(http.MethodPost, "/rounds", coord, map[string]any{"name": "Policy round", "seed": 18,
		"programIds": []string{prog["PA"], prog["PB"], prog["PC"]},
		"policy": map[string]any{"regions": []map[string]any{{"id": "tohoku", "name": "Tohoku", "cap": 3,
			"programIds": []string{prog["PB"], prog["PC"]}, "targets": map[string]int{prog["PB"]: 1, prog["PC"]: 1}}}}},
		http.StatusCreated, &rnd)
	if rnd.Policy == nil || len(rnd.Policy.Regions) != 1 || rnd.Policy.Regions[0].Cap != 3 {
		t.Fatalf("created round policy = %+v, want region tohoku capped at 3", rnd.Policy)
	}

	// Demand counts equal the rank lists.
	var demand apimatching.DemandList
	f.must(http.MethodGet, "/rounds/"+rnd.ID+"/demand", tokens["a1"], nil, http.StatusOK, &demand)
	for _, d := range demand.Items {
		ranked, first := 0, 0
		for _, l := range lists {
			if i := slices.Index(l, key[d.ProgramID]); i >= 0 {
				ranked++
				if i == 0 {
					first++
				}
			}
		}
		if d.Ranked != ranked || d.RankedFirst != first || d.Seats != ref.programs[key[d.ProgramID]].seats {
			t.Errorf("demand of %s = %+v, want ranked %d, first %d", key[d.ProgramID], d, ranked, first)
		}
	}
	if len(demand.Items) != 3 {
		t.Errorf("demand = %+v, want three programs", demand.Items)
	}

	pairsOf := func(items map[string]string) string {
		var out []string
		for _, a := range slices.Sorted(maps.Keys(items)) {
			out = append(out, a+"→"+items[a])
		}
		return strings.Join(out, " ")
	}
	matches := func(roundID string) map[string]apimatching.Match {
		t.Helper()
		var l struct {
			Items []apimatching.Match `json:"items"`
		}
		f.must(http.MethodGet, "/rounds/"+roundID+"/matches", coord, nil, http.StatusOK, &l)
		out := map[string]apimatching.Match{}
		for _, m := range l.Items {
			out[name[m.ApplicantID]] = m
		}
		return out
	}

	// The mock run: the rules' outcome, no match saved.
	var mock apimatching.MockRun
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/mock", coord, nil, http.StatusOK, &mock)
	mocked := map[string]string{}
	for _, x := range mock.Items {
		mocked[name[x.ApplicantID]] = key[x.ProgramID]
	}
	if pairsOf(mocked) != pairsOf(want) || mock.BlockingPairs != 0 {
		t.Fatalf("mock run = %s (%d blocking), want %s", pairsOf(mocked), mock.BlockingPairs, pairsOf(want))
	}
	if len(matches(rnd.ID)) != 0 {
		t.Fatalf("the mock run saved matches")
	}
	if r := f.call(http.MethodGet, "/rounds/"+rnd.ID+"/mock", tokens["a1"], nil); r.status != http.StatusForbidden {
		t.Errorf("an applicant reads the mock = %d, want 403", r.status)
	}

	// The real run gives the same.
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/run", coord, nil, http.StatusAccepted, nil)
	f.waitFor("the run", func() error {
		f.must(http.MethodGet, "/rounds/"+rnd.ID, coord, nil, http.StatusOK, &rnd)
		if rnd.Status != "completed" {
			return fmt.Errorf("round is %s %s", rnd.Status, rnd.LastError)
		}
		return nil
	})
	if rnd.BlockingPairs != 0 {
		t.Errorf("run blockingPairs = %d, want 0", rnd.BlockingPairs)
	}
	ms := matches(rnd.ID)
	got := map[string]string{}
	for a, m := range ms {
		got[a] = key[m.ProgramID]
	}
	if pairsOf(got) != pairsOf(want) {
		t.Fatalf("run = %s, want %s", pairsOf(got), pairsOf(want))
	}

	// Publish with a deadline 15 s ahead: one accepts, one declines, the
	// others expire and can no longer be accepted.
	matched := slices.Sorted(maps.Keys(want))
	if len(matched) < 4 {
		t.Fatalf("the scenario needs at least four matches, has %v", want)
	}
	for _, a := range matched {
		f.must(http.MethodPost, "/matches/"+ms[a].ID+"/approve", coord, nil, http.StatusOK, nil)
	}
	respondBy := time.Now().Add(15 * time.Second).UTC().Truncate(time.Second)
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/publish", coord, map[string]string{"respondBy": respondBy.Format(time.RFC3339)}, http.StatusOK, nil)
	accepter, decliner, rest := matched[0], matched[1], matched[2:]
	f.must(http.MethodPost, "/matches/"+ms[accepter].ID+"/accept", tokens[accepter], nil, http.StatusOK, nil)
	f.must(http.MethodPost, "/matches/"+ms[decliner].ID+"/decline", tokens[decliner], nil, http.StatusOK, nil)
	time.Sleep(time.Until(respondBy))
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms = matches(rnd.ID)
		expired := 0
		for _, a := range rest {
			if ms[a].Status == "expired" {
				expired++
			}
		}
		if expired == len(rest) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after respondBy %d of %d unanswered offers expired", expired, len(rest))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r := f.call(http.MethodPost, "/matches/"+ms[rest[0]].ID+"/accept", tokens[rest[0]], nil); r.status != http.StatusConflict {
		t.Errorf("accepting an expired offer = %d %s, want 409", r.status, r.body)
	}
	if ms[accepter].Status != "accepted" || ms[decliner].Status != "declined" {
		t.Errorf("answered offers: %s %s, %s %s; want accepted, declined", accepter, ms[accepter].Status, decliner, ms[decliner].Status)
	}

	// The report shows the region and the reserve, small groups as <10.
	var rep apimatching.Report
	f.must(http.MethodGet, "/rounds/"+rnd.ID+"/report", coord, nil, http.StatusOK, &rep)
	if len(rep.ByRegion) != 1 || rep.ByRegion[0].Cap != 3 || !rep.ByRegion[0].Filled.Suppressed ||
		len(rep.ByCategory) != 1 || rep.ByCategory[0].Reserved != 1 || rep.ByCategory[0].ToCategory.N != nil {
		t.Errorf("report policy tables = %+v %+v, want Tohoku cap 3 and women 1 reserved, counts suppressed", rep.ByRegion, rep.ByCategory)
	}

	// A vacancy round over what is left runs stable and places no one who
	// accepted.
	var vr apimatching.Round
	f.must(http.MethodPost, "/rounds/"+rnd.ID+"/vacancy", coord, map[string]any{"name": "Second chance", "offerDays": 2}, http.StatusCreated, &vr)
	f.must(http.MethodPost, "/rounds/"+vr.ID+"/run", coord, nil, http.StatusAccepted, nil)
	f.waitFor("the vacancy run", func() error {
		f.must(http.MethodGet, "/rounds/"+vr.ID, coord, nil, http.StatusOK, &vr)
		if vr.Status != "completed" {
			return fmt.Errorf("vacancy round is %s %s", vr.Status, vr.LastError)
		}
		return nil
	})
	if vr.BlockingPairs != 0 {
		t.Errorf("vacancy run blockingPairs = %d, want 0", vr.BlockingPairs)
	}
	vms := matches(vr.ID)
	if _, again := vms[accepter]; again {
		t.Errorf("the vacancy round placed %s, who accepted an offer", accepter)
	}
	if len(vms) == 0 {
		t.Errorf("the vacancy round placed no one, though seats and applicants were left")
	}
}
