package profiles_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
)

func TestCreateReadUpdate(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)

	before := time.Now().Add(-time.Second)
	body := with(profileBody(), "region", "tamil nadu")
	got := create(t, env, tok, body)
	if got.ID != user || got.Version != 1 || got.Region != "Tamil Nadu" || got.Name != "Asha Rao" {
		t.Errorf("POST /profiles = id %q version %d region %q name %q; want id %q, version 1, region Tamil Nadu, name Asha Rao",
			got.ID, got.Version, got.Region, got.Name, user)
	}
	rec := got.Consents.Recorded.DataProcessing
	if !got.Consents.DataProcessing || rec.NoticeVersion != domain.NoticeVersion || rec.At.Before(before) || rec.At.After(time.Now().Add(time.Second)) {
		t.Errorf("POST /profiles consents = %+v; want processing consent recorded now under %s", got.Consents, domain.NoticeVersion)
	}

	r := env.Do(t, http.MethodPost, "/api/v1/profiles", tok, profileBody())
	if r.Status != http.StatusConflict || r.Problem(t).Code != "profile_exists" {
		t.Errorf("second POST /profiles = %d %s, want 409 profile_exists", r.Status, r.Body)
	}

	for _, path := range []string{"/api/v1/profiles/me", "/api/v1/profiles/" + user} {
		r := env.Do(t, http.MethodGet, path, tok, nil)
		mustStatus(t, r, http.StatusOK, "GET "+path)
		var v apiprofiles.Profile
		r.JSON(t, &v)
		if v.ID != user || v.Statement != got.Statement {
			t.Errorf("GET %s = id %q statement %q; want the created profile", path, v.ID, v.Statement)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s Cache-Control = %q, want no-store", path, cc)
		}
	}

	time.Sleep(5 * time.Millisecond)
	upd := with(with(profileBody(), "statement", "Now into robotics."), "consents.visibleToHosts", false)
	r = env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, upd)
	mustStatus(t, r, http.StatusOK, "PUT /profiles/me")
	var u apiprofiles.Profile
	r.JSON(t, &u)
	if u.Version != 2 || u.Statement != "Now into robotics." || u.Consents.VisibleToHosts {
		t.Errorf("PUT /profiles/me = version %d statement %q visible %v; want 2, the new statement, false",
			u.Version, u.Statement, u.Consents.VisibleToHosts)
	}
	if !u.Consents.Recorded.VisibleToHosts.At.After(got.Consents.Recorded.VisibleToHosts.At) {
		t.Errorf("withdrawn visibility recorded at %v, want after %v", u.Consents.Recorded.VisibleToHosts.At, got.Consents.Recorded.VisibleToHosts.At)
	}
	if !u.Consents.Recorded.DataProcessing.At.Equal(got.Consents.Recorded.DataProcessing.At) {
		t.Errorf("unchanged processing consent re-recorded at %v, want %v", u.Consents.Recorded.DataProcessing.At, got.Consents.Recorded.DataProcessing.At)
	}

	r = env.Do(t, http.MethodGet, "/api/v1/profiles/me", tok, nil)
	var again apiprofiles.Profile
	r.JSON(t, &again)
	if again.Version != 2 || again.Statement != "Now into robotics." {
		t.Errorf("GET after PUT = version %d statement %q, want version 2 with the new statement", again.Version, again.Statement)
	}

	// Withdrawing the categories consent while keeping the categories is
	// refused and changes nothing; withdrawing it without them removes them.
	keep := with(upd, "consents.categories", false)
	r = env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, keep)
	if r.Status != http.StatusBadRequest || len(r.Problem(t).Errors) != 1 || r.Problem(t).Errors[0].Field != "categories" {
		t.Errorf("PUT categories without their consent = %d %s, want 400 naming categories", r.Status, r.Body)
	}
	r = env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, with(keep, "categories", nil))
	mustStatus(t, r, http.StatusOK, "PUT withdrawing the categories consent")
	var w apiprofiles.Profile
	r.JSON(t, &w)
	if w.Version != 3 || len(w.Categories) != 0 || w.Consents.Categories || !w.Consents.Recorded.Categories.At.After(got.Consents.Recorded.Categories.At) {
		t.Errorf("after withdrawal = version %d categories %v consent %+v, want version 3, none, withdrawal recorded", w.Version, w.Categories, w.Consents)
	}
	if len(got.Categories) != 2 || !got.Consents.Categories {
		t.Errorf("POST /profiles categories = %v consent %v, want two under consent", got.Categories, got.Consents.Categories)
	}

	other := env.Issuer.Token(t, uuid.NewString(), auth.RoleApplicant)
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/profiles/me"}, {http.MethodPut, "/api/v1/profiles/me"}, {http.MethodDelete, "/api/v1/profiles/me"},
	} {
		var b any
		if c.method == http.MethodPut {
			b = profileBody()
		}
		if r := env.Do(t, c.method, c.path, other, b); r.Status != http.StatusNotFound {
			t.Errorf("%s %s without a profile = %d, want 404", c.method, c.path, r.Status)
		}
	}
}

func TestValidationOverHTTP(t *testing.T) {
	t.Parallel()
	env := start(t)
	tok := env.Issuer.Token(t, uuid.NewString(), auth.RoleApplicant)
	lang := func(code, level string) []any { return []any{map[string]any{"code": code, "level": level}} }
	for _, tc := range []struct {
		name  string
		body  any
		field string
		code  fielderr.Code
	}{
		{"kind not an enumeration value", with(profileBody(), "kind", "professor"), "kind", "one_of"},
		{"home country not IN or JP", with(profileBody(), "homeCountry", "US"), "homeCountry", "one_of"},
		{"degree level unknown", with(profileBody(), "degreeLevel", "diploma"), "degreeLevel", "one_of"},
		{"japanese level on CEFR", with(profileBody(), "languages", lang("ja", "B2")), "languages[0].level", "level_scale"},
		{"english level on JLPT", with(profileBody(), "languages", lang("en", "N2")), "languages[0].level", "level_scale"},
		{"language code unknown", with(profileBody(), "languages", lang("klingon", "A1")), "languages[0].code", "unknown_code"},
		{"field code unknown", with(profileBody(), "fields", []any{"1.2", "7.1"}), "fields[1]", "unknown_code"},
		{"availability reversed", with(with(profileBody(), "availableFrom", "2028-04-01"), "availableTo", "2027-04-01"), "availableTo", "date_order"},
		{"date not ISO", with(profileBody(), "availableFrom", "1 April 2027"), "availableFrom", "format"},
		{"statement over 4000 characters", with(profileBody(), "statement", strings.Repeat("x", 4001)), "statement", "too_long"},
		{"region of the other country", with(profileBody(), "region", "Tokyo"), "region", "region"},
		{"name missing", with(profileBody(), "name", nil), "name", "required"},
		{"name too long", with(profileBody(), "name", strings.Repeat("n", 201)), "name", "too_long"},
		{"birth year implausible", with(profileBody(), "birthYear", 1850), "birthYear", "year"},
		{"birth year not a number", with(profileBody(), "birthYear", "2001"), "birthYear", "type"},
		{"no processing consent", with(profileBody(), "consents.dataProcessing", false), "consents.dataProcessing", "consent_required"},
		{"old notice version", with(profileBody(), "consents.noticeVersion", "2025-04"), "consents.noticeVersion", "notice_version"},
		{"minor without guardian", with(profileBody(), "birthYear", time.Now().Year()-16), "guardianConsent", "guardian_required"},
		{"guardian relation unknown", with(with(profileBody(), "birthYear", time.Now().Year()-16), "guardianConsent",
			map[string]any{"name": "Ravi Rao", "relation": "neighbour"}), "guardianConsent.relation", "one_of"},
		{"program kind unknown", with(profileBody(), "preferences.programKinds", []any{"vacation"}), "preferences.programKinds[0]", "one_of"},
		{"host region unknown", with(profileBody(), "preferences.hostRegions", []any{"Gotham"}), "preferences.hostRegions[0]", "region"},
		{"gender not offered", with(profileBody(), "gender", "robot"), "gender", "one_of"},
		{"categories without their consent", with(profileBody(), "consents.categories", false), "categories", "consent_categories"},
		{"category unknown", with(profileBody(), "categories", []any{"women", "caste"}), "categories[1]", "unknown_code"},
		{"category twice", with(profileBody(), "categories", []any{"rural", "rural"}), "categories[1]", "duplicate"},
		{"client sets id", with(profileBody(), "id", "someone-else"), "id", "unknown_field"},
		{"client sets consent time", with(profileBody(), "consents.at", "2020-01-01T00:00:00Z"), "at", "unknown_field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := env.Do(t, http.MethodPost, "/api/v1/profiles", tok, tc.body)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("POST /profiles = %d %s, want 400", r.Status, r.Body)
			}
			p := r.Problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code != tc.code || p.Errors[0].Reason == "" {
				t.Errorf("POST /profiles errors = %+v, want one naming %q with code %s and a reason", p.Errors, tc.field, tc.code)
			}
		})
	}

	t.Run("every broken rule is listed", func(t *testing.T) {
		body := with(with(with(profileBody(), "kind", "x"), "homeCountry", "US"), "consents.dataProcessing", false)
		r := env.Do(t, http.MethodPost, "/api/v1/profiles", tok, body)
		p := r.Problem(t)
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field)
		}
		if want := "kind,homeCountry,consents.dataProcessing"; strings.Join(got, ",") != want {
			t.Errorf("POST /profiles error fields = %v, want %s", got, want)
		}
	})

	t.Run("a minor with a guardian is accepted", func(t *testing.T) {
		minor := env.Issuer.Token(t, uuid.NewString(), auth.RoleApplicant)
		body := with(with(profileBody(), "birthYear", time.Now().Year()-16), "guardianConsent",
			map[string]any{"name": "Ravi Rao", "relation": "parent"})
		r := env.Do(t, http.MethodPost, "/api/v1/profiles", minor, body)
		mustStatus(t, r, http.StatusCreated, "POST /profiles (minor with guardian)")
		var v struct {
			GuardianConsent struct {
				Name string    `json:"name"`
				At   time.Time `json:"at"`
			} `json:"guardianConsent"`
		}
		r.JSON(t, &v)
		if v.GuardianConsent.Name != "Ravi Rao" || v.GuardianConsent.At.IsZero() {
			t.Errorf("guardianConsent = %+v, want Ravi Rao with a server-set time", v.GuardianConsent)
		}
	})
}

func TestConsentNoticeIsPublic(t *testing.T) {
	t.Parallel()
	env := start(t)
	r := env.Do(t, http.MethodGet, "/api/v1/profiles/consent-notice", "", nil)
	mustStatus(t, r, http.StatusOK, "GET /profiles/consent-notice")
	var n apiprofiles.ConsentNotice
	r.JSON(t, &n)
	if n.Version != domain.NoticeVersion || n.Language != "en" || !strings.Contains(n.Text, "Article 28") || !strings.Contains(n.Text, "guardian") ||
		!strings.Contains(n.Text, "initials") {
		t.Errorf("consent notice = version %q in %q, text %.60q…; want %s in English covering transfer, guardians and what hosts see",
			n.Version, n.Language, n.Text, domain.NoticeVersion)
	}
	// Issue 22: the full notice in Japanese and Hindi, under the same
	// version, each in its own script.
	for _, c := range []struct{ lang, word string }{{"ja", "イニシャル"}, {"hi", "आद्याक्षर"}} {
		r := env.Do(t, http.MethodGet, "/api/v1/profiles/consent-notice?lang="+c.lang, "", nil)
		mustStatus(t, r, http.StatusOK, "GET /profiles/consent-notice?lang="+c.lang)
		var l apiprofiles.ConsentNotice
		r.JSON(t, &l)
		if l.Version != n.Version || l.Language != c.lang || !strings.Contains(l.Text, c.word) || strings.Contains(l.Text, "Article 28") ||
			r.Header.Get("Content-Language") != c.lang {
			t.Errorf("notice in %s = version %q language %q (Content-Language %q), text %.60q…; want %s in %s naming %s",
				c.lang, l.Version, l.Language, r.Header.Get("Content-Language"), l.Text, n.Version, c.lang, c.word)
		}
	}
	p := env.Do(t, http.MethodGet, "/api/v1/profiles/consent-notice?lang=fr", "", nil).Problem(t)
	if p.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != "lang" || p.Errors[0].Code != "one_of" {
		t.Errorf("notice in French = %d %+v, want 400 naming lang, one_of", p.Status, p.Errors)
	}
}

func TestAccess(t *testing.T) {
	t.Parallel()
	env := start(t)
	asha, ravi := uuid.NewString(), uuid.NewString()
	ashaTok := env.Issuer.Token(t, asha, auth.RoleApplicant)
	raviTok := env.Issuer.Token(t, ravi, auth.RoleApplicant)
	create(t, env, ashaTok, profileBody())
	create(t, env, raviTok, with(with(profileBody(), "name", "Ravi Iyer"), "consents.visibleToHosts", false))

	host, strangerHost := uuid.NewString(), uuid.NewString()
	hostTok := env.Issuer.Token(t, host, auth.RoleHost)
	strangerTok := env.Issuer.Token(t, strangerHost, auth.RoleHost)
	coordTok := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	adminTok := env.Issuer.Token(t, uuid.NewString(), auth.RoleAdmin)

	get := func(tok, id string) int {
		return env.Do(t, http.MethodGet, "/api/v1/profiles/"+id, tok, nil).Status
	}
	if s := get(raviTok, asha); s != http.StatusNotFound {
		t.Errorf("applicant GET another applicant's profile = %d, want 404", s)
	}
	if s := get(ashaTok, uuid.NewString()); s != http.StatusNotFound {
		t.Errorf("applicant GET a made-up id = %d, want 404", s)
	}
	if s := get(hostTok, asha); s != http.StatusNotFound {
		t.Errorf("host without an application GET profile = %d, want 404", s)
	}
	if s := get(coordTok, asha); s != http.StatusOK {
		t.Errorf("coordinator GET profile = %d, want 200", s)
	}
	if s := get(adminTok, asha); s != http.StatusOK {
		t.Errorf("admin GET profile = %d, want 200", s)
	}
	if s := get("", asha); s != http.StatusUnauthorized {
		t.Errorf("anonymous GET profile = %d, want 401", s)
	}

	// Asha (consenting) and Ravi (not consenting) apply to the host's program.
	publish(t, env, submitted(t, "app-asha", asha, host, 1))
	publish(t, env, submitted(t, "app-ravi", ravi, host, 1))
	platformtest.Eventually(t, 20*time.Second, func() error {
		if s := get(hostTok, asha); s != http.StatusOK {
			return errStatus("host GET applicant who applied and consented", s, http.StatusOK)
		}
		return nil
	})
	r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+asha, hostTok, nil)
	var v apiprofiles.Profile
	r.JSON(t, &v)
	if v.ID != asha || v.Name != "Asha Rao" || v.Gender != "" {
		t.Errorf("host view = id %q name %q gender %q; want Asha's profile without gender", v.ID, v.Name, v.Gender)
	}
	// Categories are for allocation only: a host sees neither them nor
	// whether the applicant consented to give any.
	if len(v.Categories) != 0 || v.Consents.Categories || !v.Consents.Recorded.Categories.At.IsZero() ||
		strings.Contains(string(r.Body), "first_generation") || strings.Contains(string(r.Body), `"categories":true`) {
		t.Errorf("host view shows categories: %s", r.Body)
	}
	if c := env.Do(t, http.MethodGet, "/api/v1/profiles/"+asha, coordTok, nil); !strings.Contains(string(c.Body), "first_generation") {
		t.Errorf("coordinator view lacks the categories: %s", c.Body)
	}
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 2)
	// Applying shows the application to the program's host whether or not
	// the applicant lets hosts find them (issue 22; the notice says so):
	// Ravi did not consent to be found, yet the host he applied to reads him.
	if s := get(hostTok, ravi); s != http.StatusOK {
		t.Errorf("host GET applicant who applied without consenting to be found = %d, want 200", s)
	}
	if s := get(strangerTok, asha); s != http.StatusNotFound {
		t.Errorf("another host GET applicant = %d, want 404", s)
	}

	// Withdrawing the application ends the host's access.
	publish(t, env, withdrawn(t, "app-asha", asha, host, 2))
	platformtest.Eventually(t, 20*time.Second, func() error {
		if s := get(hostTok, asha); s != http.StatusNotFound {
			return errStatus("host GET after withdrawal", s, http.StatusNotFound)
		}
		return nil
	})

	for _, c := range []struct {
		name, method, path, tok string
		body                    any
		want                    int
	}{
		{"host creates a profile", http.MethodPost, "/api/v1/profiles", hostTok, profileBody(), http.StatusForbidden},
		{"coordinator creates a profile", http.MethodPost, "/api/v1/profiles", coordTok, profileBody(), http.StatusForbidden},
		{"host reads own profile", http.MethodGet, "/api/v1/profiles/me", hostTok, nil, http.StatusForbidden},
		{"host erases a profile", http.MethodDelete, "/api/v1/profiles/me", hostTok, nil, http.StatusForbidden},
		{"applicant lists profiles", http.MethodGet, "/api/v1/profiles", ashaTok, nil, http.StatusForbidden},
		{"host lists profiles", http.MethodGet, "/api/v1/profiles", hostTok, nil, http.StatusForbidden},
		{"applicant imports", http.MethodPost, "/api/v1/profiles/import", ashaTok, "email\n", http.StatusForbidden},
		{"anonymous lists profiles", http.MethodGet, "/api/v1/profiles", "", nil, http.StatusUnauthorized},
		{"anonymous creates", http.MethodPost, "/api/v1/profiles", "", profileBody(), http.StatusUnauthorized},
		{"anonymous exports", http.MethodGet, "/api/v1/profiles/me/export", "", nil, http.StatusUnauthorized},
	} {
		if r := env.Do(t, c.method, c.path, c.tok, c.body); r.Status != c.want {
			t.Errorf("%s: %s %s = %d %s, want %d", c.name, c.method, c.path, r.Status, r.Body, c.want)
		}
	}
}

func errStatus(what string, got, want int) error {
	return &statusError{what, got, want}
}

type statusError struct {
	what      string
	got, want int
}

func (e *statusError) Error() string {
	return e.what + ": got " + http.StatusText(e.got) + ", want " + http.StatusText(e.want)
}

// TestEveryRouteHasAPolicy fails when a route of the service is added
// without going through the access table, and pins who may call what.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	env := start(t)
	svc, err := profiles.New(t.Context(), env.Deps)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	svc.Routes(e, e.Group(platform.APIPrefix))
	want := map[string]auth.Policy{
		"GET /api/v1/profiles/consent-notice": auth.Anyone,
		"POST /api/v1/profiles":               auth.Applicants,
		"GET /api/v1/profiles/me":             auth.Applicants,
		"PUT /api/v1/profiles/me":             auth.Applicants,
		"DELETE /api/v1/profiles/me":          auth.Applicants,
		"GET /api/v1/profiles/me/export":      auth.SignedIn,
		"GET /api/v1/profiles/:id":            auth.SignedIn,
		"GET /api/v1/profiles":                auth.Coordinators,
		"POST /api/v1/profiles/import":        auth.Coordinators,
		"GET /api/v1/profiles/me/draft":       auth.Applicants,
		"PUT /api/v1/profiles/me/draft":       auth.Applicants,
		"DELETE /api/v1/profiles/me/draft":    auth.Applicants,
	}
	seen := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, platform.APIPrefix) || r.Method == echo.RouteNotFound {
			continue
		}
		seen++
		key := r.Method + " " + r.Path
		p, ok := auth.PolicyOf(r.Method, r.Path)
		if !ok {
			t.Errorf("route %s has no access policy", key)
			continue
		}
		if w, ok := want[key]; !ok {
			t.Errorf("route %s (policy %s) is not in the expected access table", key, p)
		} else if p.String() != w.String() {
			t.Errorf("route %s policy = %s, want %s", key, p, w)
		}
	}
	if seen != len(want) {
		t.Errorf("service registered %d API routes, want %d", seen, len(want))
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	env := start(t)
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	people := []map[string]any{
		profileBody(),
		with(with(with(profileBody(), "name", "Kenji Sato"), "homeCountry", "JP"), "region", "Miyagi"),
		with(with(profileBody(), "name", "Meera Nair"), "kind", "researcher"),
		with(with(with(profileBody(), "name", "Ravi Iyer"), "fields", []any{"2.2"}), "skills", []any{"Robotics", "ROS"}),
		with(with(profileBody(), "name", "Divya Menon"), "degreeLevel", "phd"),
	}
	ids := make([]string, len(people))
	for i, b := range people {
		ids[i] = uuid.NewString()
		create(t, env, env.Issuer.Token(t, ids[i], auth.RoleApplicant), b)
	}
	type page struct {
		Items []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"items"`
		Page     int `json:"page"`
		PageSize int `json:"pageSize"`
		Total    int `json:"total"`
	}
	list := func(query string) page {
		t.Helper()
		r := env.Do(t, http.MethodGet, "/api/v1/profiles"+query, coord, nil)
		mustStatus(t, r, http.StatusOK, "GET /profiles"+query)
		var p page
		r.JSON(t, &p)
		return p
	}
	names := func(p page) string {
		var s []string
		for _, it := range p.Items {
			s = append(s, it.Name)
		}
		return strings.Join(s, ",")
	}
	for _, c := range []struct{ query, want string }{
		{"?country=JP", "Kenji Sato"},
		{"?kind=researcher", "Meera Nair"},
		{"?field=2.2", "Ravi Iyer"},
		{"?degreeLevel=phd", "Divya Menon"},
		{"?q=robotics", "Ravi Iyer"},
		{"?q=IIT+ros", "Ravi Iyer"},
		{"?q=NAIR", "Meera Nair"},
		{"?q=.*", ""},
	} {
		if got := names(list(c.query)); got != c.want {
			t.Errorf("GET /profiles%s = [%s], want [%s]", c.query, got, c.want)
		}
	}

	all := list("")
	if all.Total != 5 || all.Page != 1 || all.PageSize != 20 || len(all.Items) != 5 {
		t.Fatalf("GET /profiles = total %d page %d size %d items %d, want 5, 1, 20, 5", all.Total, all.Page, all.PageSize, len(all.Items))
	}
	var paged []string
	for p := 1; p <= 3; p++ {
		pg := list("?pageSize=2&page=" + string(rune('0'+p)))
		if pg.Total != 5 {
			t.Errorf("page %d total = %d, want 5", p, pg.Total)
		}
		for _, it := range pg.Items {
			paged = append(paged, it.ID)
		}
	}
	var whole []string
	for _, it := range all.Items {
		whole = append(whole, it.ID)
	}
	if strings.Join(paged, ",") != strings.Join(whole, ",") {
		t.Errorf("pages of 2 = %v, want the same order as one page %v", paged, whole)
	}

	r := env.Do(t, http.MethodGet, "/api/v1/profiles?country=US&pageSize=1000&kind=alien", coord, nil)
	p := r.Problem(t)
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	if r.Status != http.StatusBadRequest || strings.Join(fields, ",") != "country,kind,pageSize" {
		t.Errorf("GET /profiles with bad filters = %d %v, want 400 naming country, kind, pageSize", r.Status, fields)
	}
	// Issue 16, finding 5: one paging bound for every list.
	for _, page := range []string{"10001", "99999999999999999"} {
		r := env.Do(t, http.MethodGet, "/api/v1/profiles?page="+page, coord, nil)
		if p := r.Problem(t); r.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != "page" {
			t.Errorf("GET /profiles?page=%s = %d %+v, want 400 naming page", page, r.Status, p)
		}
	}
}
