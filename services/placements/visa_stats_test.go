package placements_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// paidFellowship publishes a fellowship in Japan paying a monthly stipend
// in yen.
func paidFellowship(t testing.TB, env testEnv, id, hostID string, monthlyYen int64) {
	t.Helper()
	publish(t, env, platformtest.Event(t, programs.Source, events.ProgramPublished, id, 1, programs.Program{ID: id, HostID: hostID,
		Title: "Fellowship " + id[:8], Kind: "fellowship", HostCountry: "JP", Region: "Miyagi", Fields: []string{"1.2"},
		StartDate: "2027-10-01", EndDate: "2028-09-30", Status: programs.StatusPublished,
		Stipend: &programs.Stipend{Amount: monthlyYen, Currency: "JPY", Period: "month"}}))
}

// phdProfile publishes a researcher from India with a PhD and JLPT N1.
func phdProfile(t testing.TB, env testEnv, id, region string) {
	t.Helper()
	publish(t, env, platformtest.Event(t, profilesev.Source, events.ProfileCreated, id, 1, profilesev.Profile{ID: id,
		Kind: "researcher", Name: "Ravi", HomeCountry: "IN", Region: region, DegreeLevel: "phd", BirthYear: 1995,
		Languages: []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N1"}}}))
}

// The journey, through HTTP with the real bus and store: twelve
// PhD holders with JLPT N1 from India accept a paid fellowship in Japan.
func TestVisaPathwayAndStatistics(t *testing.T) {
	env := start(t, jan2027)
	host, other := newPerson(t, env, auth.RoleHost), newPerson(t, env, auth.RoleHost)
	coord := newPerson(t, env, auth.RoleCoordinator)
	progID := uuid.NewString()
	paidFellowship(t, env, progID, host.id, 200_000)
	var appls []person
	for i := range 12 {
		a := newPerson(t, env, auth.RoleApplicant)
		phdProfile(t, env, a.id, []string{"Karnataka", "Tamil Nadu"}[i%2])
		appls = append(appls, a)
	}
	for _, a := range appls {
		accept(t, env, uuid.NewString(), a.id, progID, host.id)
	}
	var mine []api.Placement
	for _, a := range appls {
		mine = append(mine, waitMine(t, env, a, 1)[0])
	}

	path := "/api/v1/placements/" + mine[0].ID + "/visa"
	r := get(t, env, path, appls[0].token)
	mustStatus(t, r, http.StatusOK, "GET visa as the participant")
	var v api.VisaResponse
	r.JSON(t, &v)
	if v.Visa.Type != "jp.professor" || len(v.Visa.Needs) == 0 || len(v.Visa.Sources) == 0 || v.Visa.RuleSet == "" {
		t.Fatalf("visa = %+v, want Professor with needs, sources and a rule set", v.Visa)
	}
	if v.HSP == nil || !v.HSP.Estimate || v.HSP.Threshold != 70 {
		t.Fatalf("hsp = %+v, want an estimate against 70", v.HSP)
	}
	points := map[string]int{}
	for _, it := range v.HSP.Items {
		points[it.Item] = it.Points
	}
	if points[api.HSPAcademicBackground] != 30 || points[api.HSPJapaneseLanguage] != 15 {
		t.Errorf("HSP items = %+v, want academic_background 30 and japanese_language 15", v.HSP.Items)
	}

	// Facts profiles do not hold refine the estimate; they are checked.
	r = get(t, env, path+"?experienceYears=10&researchAchievements=2", appls[0].token)
	mustStatus(t, r, http.StatusOK, "GET visa with experience and research achievements")
	var refined api.VisaResponse
	r.JSON(t, &refined)
	more := map[string]int{}
	for _, it := range refined.HSP.Items {
		more[it.Item] = it.Points
	}
	if points[api.HSPProfessionalCareer] != 0 || points[api.HSPResearchAchievements] != 0 ||
		more[api.HSPProfessionalCareer] == 0 || more[api.HSPResearchAchievements] == 0 ||
		refined.HSP.Total != v.HSP.Total+more[api.HSPProfessionalCareer]+more[api.HSPResearchAchievements] {
		t.Errorf("refined HSP = %+v (total %d), plain total %d: want career and research points added", refined.HSP.Items, refined.HSP.Total, v.HSP.Total)
	}
	for _, q := range []struct{ query, field string }{
		{"experienceYears=-1", "experienceYears"}, {"experienceYears=ten", "experienceYears"},
		{"researchAchievements=5", "researchAchievements"},
	} {
		r = get(t, env, path+"?"+q.query, appls[0].token)
		mustProblem(t, r, http.StatusBadRequest, "invalid_request", "visa?"+q.query)
		if p := r.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != q.field || p.Errors[0].Code != "range" {
			t.Errorf("visa?%s errors = %+v, want one range error on %s", q.query, p.Errors, q.field)
		}
	}

	// Who may read it: as GET /placements/{id}.
	mustStatus(t, get(t, env, path, host.token), http.StatusOK, "visa as the program's host")
	mustStatus(t, get(t, env, path, coord.token), http.StatusOK, "visa as a coordinator")
	mustProblem(t, get(t, env, path, appls[1].token), http.StatusNotFound, "not_found", "visa as another applicant")
	mustProblem(t, get(t, env, path, other.token), http.StatusNotFound, "not_found", "visa as another host")
	mustStatus(t, get(t, env, path, ""), http.StatusUnauthorized, "visa without a token")
	mustProblem(t, get(t, env, "/api/v1/placements/"+uuid.NewString()+"/visa", coord.token), http.StatusNotFound, "not_found", "visa of no placement")

	// Statistics, without signing in.
	r = get(t, env, "/api/v1/stats/exchanges?groupBy=direction", "")
	mustStatus(t, r, http.StatusOK, "GET /stats/exchanges by direction")
	var st api.ExchangeStats
	r.JSON(t, &st)
	if len(st.Groups) != 1 || st.Groups[0].Key != "IN_JP" || st.Groups[0].Counts[api.StatsOffersAccepted].String() != "12" {
		t.Fatalf("by direction = %s, want IN_JP with 12 offers accepted", r.Body)
	}
	r = get(t, env, "/api/v1/stats/exchanges?groupBy=homeRegion", "")
	mustStatus(t, r, http.StatusOK, "GET /stats/exchanges by home region")
	st = api.ExchangeStats{}
	r.JSON(t, &st)
	for _, g := range st.Groups {
		if c := g.Counts[api.StatsOffersAccepted]; c.String() != api.StatsSuppressed {
			t.Errorf("home region %s = %s, want <10", g.Key, c)
		}
	}
	if !strings.Contains(string(r.Body), `"offersAccepted":"<10"`) || st.Totals.Counts[api.StatsOffersAccepted].String() != "12" {
		t.Errorf("by home region = %s, want groups of 6 as \"<10\" and a total of 12", r.Body)
	}
	if st.Target.Counted.String() != "12" || st.Target.People != 500_000 {
		t.Errorf("target = %+v", st.Target)
	}

	r = get(t, env, "/api/v1/stats/exchanges.csv?groupBy=homeRegion", "")
	mustStatus(t, r, http.StatusOK, "GET /stats/exchanges.csv")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV Content-Type = %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1][1] != "<10" || rows[3][0] != "total" || rows[3][1] != "12" {
		t.Errorf("CSV rows = %v, want two regions as <10 and a total of 12", rows)
	}
}

func TestStatisticsQueryErrors(t *testing.T) {
	env := start(t, jan2027)
	for _, tc := range []struct{ query, field string }{
		{"groupBy=country", "groupBy"},
		{"groupBy=month&from=March", "from"},
		{"from=2027-05&to=2027-01", "to"},
	} {
		for _, path := range []string{"/api/v1/stats/exchanges?", "/api/v1/stats/exchanges.csv?"} {
			r := get(t, env, path+tc.query, "")
			mustProblem(t, r, http.StatusBadRequest, "invalid_request", path+tc.query)
			p := r.Problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Reason == "" {
				t.Errorf("%s%s errors = %+v, want one on %s", path, tc.query, p.Errors, tc.field)
			}
		}
	}
	// An empty platform answers with empty groups and suppressed totals.
	r := get(t, env, "/api/v1/stats/exchanges?groupBy=month&from=2027-01&to=2027-03", "")
	mustStatus(t, r, http.StatusOK, "empty statistics")
	var st api.ExchangeStats
	r.JSON(t, &st)
	if len(st.Groups) != 0 || st.Totals.Counts[api.StatsOffersAccepted].String() != api.StatsSuppressed || st.From != "2027-01" || st.To != "2027-03" {
		t.Errorf("empty statistics = %s", r.Body)
	}
}

// An erased participant's placement still counts, under an unknown home
// region, and the points estimate no longer reads their profile.
func TestErasureKeepsCountsNotFacts(t *testing.T) {
	env := start(t, jan2027)
	host, coord := newPerson(t, env, auth.RoleHost), newPerson(t, env, auth.RoleCoordinator)
	progID := uuid.NewString()
	paidFellowship(t, env, progID, host.id, 200_000)
	var appls []person
	for range 10 {
		a := newPerson(t, env, auth.RoleApplicant)
		phdProfile(t, env, a.id, "Kerala")
		accept(t, env, uuid.NewString(), a.id, progID, host.id)
		appls = append(appls, a)
	}
	var first api.Placement
	for i, a := range appls {
		if p := waitMine(t, env, a, 1)[0]; i == 0 {
			first = p
		}
	}
	byHome := func() api.ExchangeStats {
		r := get(t, env, "/api/v1/stats/exchanges?groupBy=homeRegion", "")
		mustStatus(t, r, http.StatusOK, "stats by home region")
		var st api.ExchangeStats
		r.JSON(t, &st)
		return st
	}
	if st := byHome(); len(st.Groups) != 1 || st.Groups[0].Key != "Kerala" || st.Groups[0].Counts[api.StatsOffersAccepted].String() != "10" {
		t.Fatalf("before erasure: %+v", st.Groups)
	}

	publish(t, env, platformtest.Event(t, profilesev.Source, events.ProfileErased, appls[0].id, 9,
		profilesev.ProfileErased{ProfileID: appls[0].id}))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "PROFILES", "placements-profile-erased", 1)

	st := byHome()
	keys := map[string]string{}
	for _, g := range st.Groups {
		keys[g.Key] = g.Counts[api.StatsOffersAccepted].String()
	}
	if keys["Kerala"] != api.StatsSuppressed || keys[api.StatsUnknown] != api.StatsSuppressed || st.Totals.Counts[api.StatsOffersAccepted].String() != "10" {
		t.Fatalf("after erasure: groups %v, total %s; want Kerala and unknown as <10 and 10 in all", keys, st.Totals.Counts[api.StatsOffersAccepted])
	}

	r := get(t, env, "/api/v1/placements/"+first.ID+"/visa", coord.token)
	mustStatus(t, r, http.StatusOK, "visa of an erased participant's placement")
	var v api.VisaResponse
	r.JSON(t, &v)
	if v.HSP == nil {
		t.Fatal("no estimate")
	}
	for _, it := range v.HSP.Items {
		if (it.Item == api.HSPAcademicBackground || it.Item == api.HSPJapaneseLanguage || it.Item == api.HSPAge) && it.Points != 0 {
			t.Errorf("after erasure %s = %d (%s), want 0: the profile's facts are gone", it.Item, it.Points, it.Reason)
		}
	}
}
