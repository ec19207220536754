package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/platformtest"
)

// The profile wizard and the profile's sections in headless Chromium
// (issue 22, items 3 and 6), and the whole first visit of an applicant
// counted in forms (issue 22's acceptance: at most 5 from sign-up to a
// ranked list of three programs).

// value is the value of the input with id, "" when the page has none; for
// radio groups, id names the group and the checked value is returned.
func (b *tab) value(id string) string {
	b.t.Helper()
	return b.eval(fmt.Sprintf(`(function(){var e=document.getElementById(%q);
		if(e&&e.tagName==="FIELDSET"){var c=e.querySelector("input:checked");return c?c.value:""}
		if(e&&e.multiple){return Array.from(e.selectedOptions).map(function(o){return o.value}).join(",")}
		return e?String(e.value):""})()`, id))
}

// signUpApplicant signs a new applicant up in the browser's current
// language and returns their e-mail address.
func signUpApplicant(b *tab, name, email string) {
	b.t.Helper()
	b.open("/signup")
	b.fill("#f-name", name)
	b.fill("#f-email", email)
	b.fill("#f-password", uiPassword)
	b.submit("sign up", `form[action="/signup"] button[type=submit]`)
	if loc := b.location(); loc != "/profile/wizard" {
		b.t.Fatalf("after sign-up the applicant is at %s, want the profile wizard", loc)
	}
}

// TestWizardKeepsAnswersAcrossLanguages (item 3): answers typed in the
// wizard survive a change of language (twice), a reload and a second
// device, and are the profile's when it is created; another applicant
// sees none of them.
func TestWizardKeepsAnswersAcrossLanguages(t *testing.T) {
	p := startUIPlatform(t)
	person := openBrowser(t, p)
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	email := "meera." + suffix + "@example.org"

	b := person()
	b.open("/")
	b.chooseLanguage("en")
	signUpApplicant(b, "Meera Iyer", email)
	b.choose(`input[name=kind]`, "researcher")
	b.choose("#f-homeCountry", "IN")
	b.choose("#f-region", "Kerala")
	b.fill("#f-birthYear", "1995")
	b.fill("#f-institution", "Cochin Marine Institute")
	b.choose("#f-degreeLevel", "phd")
	b.fill("#f-skills", "oceanography, python")
	b.choose("#f-lang0", "ja")
	b.choose("#f-level0", "N3")

	want := map[string]string{"f-kind": "researcher", "f-homeCountry": "IN", "f-region": "Kerala", "f-birthYear": "1995",
		"f-institution": "Cochin Marine Institute", "f-degreeLevel": "phd", "f-skills": "oceanography, python",
		"f-lang0": "ja", "f-level0": "N3"}
	kept := func(b *tab, when string) {
		t.Helper()
		for id, v := range want {
			if got := b.value(id); got != v {
				b.shot("lost-" + strings.ReplaceAll(when, " ", "-"))
				t.Errorf("%s: %s = %q, want %q", when, id, got, v)
			}
		}
	}
	for _, lang := range []string{"ja", "hi"} {
		b.chooseLanguage(lang)
		if got := b.eval(`document.documentElement.lang`); got != lang {
			t.Fatalf("after choosing %s the page is in %q", lang, got)
		}
		if loc := b.location(); loc != "/profile/wizard" {
			t.Errorf("after choosing %s the applicant is at %s, want the wizard", lang, loc)
		}
		kept(b, "after switching to "+lang)
	}
	b.shot("wizard-kept-hi")
	b.open("/profile/wizard")
	kept(b, "after a reload")

	// Another device: the same account, signed in elsewhere.
	other := person()
	other.open("/login")
	other.fill("#f-email", email)
	other.fill("#f-password", uiPassword)
	other.submit("sign in on another device", `form[action="/login"] button[type=submit]`)
	other.open("/profile/wizard")
	other.expect("the draft is announced", "#draft-restored", "kept")
	kept(other, "on another device")

	// Another applicant starts from nothing.
	stranger := person()
	stranger.open("/")
	stranger.chooseLanguage("en")
	signUpApplicant(stranger, "Someone Else", "else."+suffix+"@example.org")
	if got := stranger.value("f-institution"); got != "" {
		t.Errorf("another applicant's wizard shows institution %q, want it empty", got)
	}

	// Created on the second device: the answers, and the sign-up's name.
	other.choose(`#f-consents input[type=checkbox]`, "on")
	other.submit("create the profile", `button[value=save]`)
	tok := apiLogin(t, p.URL, email, uiPassword)
	var prof struct {
		Name, Kind, Institution, Region, DegreeLevel string
		BirthYear                                    int
		Skills                                       []string
	}
	if st := apiCall(t, p.URL, http.MethodGet, "/profiles/me", tok, nil, &prof); st != http.StatusOK {
		t.Fatalf("GET /profiles/me = %d, want the created profile", st)
	}
	if prof.Name != "Meera Iyer" || prof.Kind != "researcher" || prof.Institution != "Cochin Marine Institute" ||
		prof.Region != "Kerala" || prof.DegreeLevel != "phd" || prof.BirthYear != 1995 || strings.Join(prof.Skills, ",") != "oceanography,python" {
		t.Errorf("created profile = %+v, want the kept answers and the sign-up name", prof)
	}
	if st := apiCall(t, p.URL, http.MethodGet, "/profiles/me/draft", tok, nil, nil); st != http.StatusNotFound {
		t.Errorf("GET /profiles/me/draft after the profile was created = %d, want 404 (used up)", st)
	}
	t.Run("WithoutScript", func(t *testing.T) { wizardWithoutScript(t, p, suffix) })
}

// wizardWithoutScript drives the wizard's handlers as a browser without
// JavaScript: a refused submit keeps its answers as the draft, a reload
// shows them, the form's own language change keeps them too, and a section
// form without a profile sends the applicant to the wizard.
func wizardWithoutScript(t *testing.T, p *uiPlatform, suffix string) {
	c := platformtest.NewBrowser(t, p.URL)
	c.Get("/signup")
	if got := c.Post("/signup", url.Values{"role": {"applicant"}, "name": {"Aiko Sato"}, "email": {"aiko." + suffix + "@example.jp"},
		"password": {uiPassword}}); got.Status != http.StatusSeeOther || got.Location != "/profile/wizard" {
		t.Fatalf("sign-up = %d to %q, want 303 to the wizard", got.Status, got.Location)
	}
	if got := c.Get("/profile/edit/skills"); got.Status != http.StatusSeeOther || got.Location != "/profile/wizard" {
		t.Errorf("a section form without a profile = %d to %q, want 303 to the wizard", got.Status, got.Location)
	}
	got := c.Post("/profile/wizard", url.Values{"kind": {"company"}, "homeCountry": {"JP"}, "birthYear": {"1988"},
		"institution": {"Sendai Robotics KK"}, "action": {"save"}})
	if got.Status != http.StatusUnprocessableEntity || !strings.Contains(got.Body, `id="e-dataProcessing"`) {
		t.Fatalf("the wizard without consent = %d, want 422 with the consent's problem\n%.300s", got.Status, got.Body)
	}
	if got := c.Get("/profile/wizard"); got.Status != http.StatusOK || !strings.Contains(got.Body, `value="Sendai Robotics KK"`) ||
		!strings.Contains(got.Body, `id="draft-restored"`) {
		t.Errorf("the wizard after a refused submit = %d, want the answers restored from the draft", got.Status)
	}
	got = c.Post("/profile/wizard", url.Values{"kind": {"company"}, "homeCountry": {"JP"}, "birthYear": {"1988"},
		"institution": {"Sendai Robotics"}, "action": {"lang"}, "lang": {"hi"}})
	if got.Status != http.StatusSeeOther || got.Location != "/profile/wizard" {
		t.Fatalf("changing language from the wizard = %d to %q, want 303 back to it", got.Status, got.Location)
	}
	got = c.Get("/profile/wizard")
	if !strings.Contains(got.Body, `<html lang="hi">`) || !strings.Contains(got.Body, `value="Sendai Robotics"`) ||
		!strings.Contains(got.Body, `value="1988"`) {
		t.Errorf("the wizard after changing language is not in Hindi with the answers kept\n%.300s", got.Body)
	}
}

// TestProfileSectionsEditAlone (item 6): the profile page shows its
// sections, each with its own form; changing the skills is one form that
// asks nothing else, keeps every other answer and does not record the
// consents again. Hosts may not open the forms; unknown sections are 404.
func TestProfileSectionsEditAlone(t *testing.T) {
	p := startUIPlatform(t)
	person := openBrowser(t, p)
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	email := "kenta." + suffix + "@example.jp"

	b := person()
	b.open("/")
	b.chooseLanguage("ja")
	signUpApplicant(b, "Kenta Mori", email)
	b.choose(`input[name=kind]`, "student")
	b.choose("#f-homeCountry", "JP")
	b.fill("#f-birthYear", "2002")
	b.choose("#f-degreeLevel", "bachelor")
	b.fill("#f-skills", "robotics")
	b.choose("#f-lang0", "en")
	b.choose("#f-level0", "B2")
	b.choose(`#f-consents input[type=checkbox]`, "on")
	b.submit("create the profile", `button[value=save]`)
	tok := apiLogin(t, p.URL, email, uiPassword)
	type profile struct {
		Name     string   `json:"name"`
		Skills   []string `json:"skills"`
		Version  int      `json:"version"`
		Consents struct {
			VisibleToHosts bool `json:"visibleToHosts"`
			Recorded       struct {
				DataProcessing struct {
					At time.Time `json:"at"`
				} `json:"dataProcessing"`
			} `json:"recorded"`
		} `json:"consents"`
		Languages []struct{ Code, Level string } `json:"languages"`
	}
	var before profile
	apiCall(t, p.URL, http.MethodGet, "/profiles/me", tok, nil, &before)

	b.open("/profile")
	for _, s := range []string{"about", "studies", "skills", "availability", "statement", "consents", "categories"} {
		if got := b.eval(fmt.Sprintf(`(function(){var a=document.getElementById("edit-%s");return a?a.getAttribute("href"):""})()`, s)); got != "/profile/edit/"+s {
			t.Errorf("the profile page's %s section links to %q, want its own form /profile/edit/%s", s, got, s)
		}
	}
	b.shot("profile-sections-ja")

	time.Sleep(1100 * time.Millisecond) // a consent recorded again would show a later time
	b.submit("open the skills section", "#edit-skills")
	b.expect("the section's form is in Japanese", "h1", "スキルと語学")
	for _, id := range []string{"f-kind", "f-name", "f-dataProcessing", "f-birthYear", "f-statement"} {
		if n := b.eval(fmt.Sprintf(`String(document.querySelectorAll("#%s").length)`, id)); n != "0" {
			t.Errorf("the skills form also asks #%s", id)
		}
	}
	if got := b.value("f-skills"); got != "robotics" {
		t.Errorf("the skills form shows %q, want the stored robotics", got)
	}
	b.fill("#f-skills", "robotics, ros")
	b.choose("#f-lang1", "hi")
	b.choose("#f-level1", "A2")
	b.submit("save the skills alone", `button[value=save]`)
	b.expect("saved", ".notice", "保存しました")
	b.expect("the new skill is shown", "#v-skills", "ros")

	var after profile
	apiCall(t, p.URL, http.MethodGet, "/profiles/me", tok, nil, &after)
	if strings.Join(after.Skills, ",") != "robotics,ros" || len(after.Languages) != 2 || after.Version != before.Version+1 {
		t.Errorf("after the skills form: skills %v, languages %v, version %d; want robotics,ros, two languages, version %d",
			after.Skills, after.Languages, after.Version, before.Version+1)
	}
	if after.Name != "Kenta Mori" || !after.Consents.VisibleToHosts {
		t.Errorf("after the skills form: name %q, visible to hosts %v; want both unchanged", after.Name, after.Consents.VisibleToHosts)
	}
	if !after.Consents.Recorded.DataProcessing.At.Equal(before.Consents.Recorded.DataProcessing.At) {
		t.Errorf("consent to processing recorded again at %v (was %v): editing skills must not ask for consent",
			after.Consents.Recorded.DataProcessing.At, before.Consents.Recorded.DataProcessing.At)
	}

	// The about section edits the name; the wizard never asked it.
	b.submit("open about", "#edit-about")
	if got := b.value("f-name"); got != "Kenta Mori" {
		t.Errorf("the about form shows name %q, want the stored one", got)
	}

	// Access: a host may not open the forms; an unknown section is 404.
	hostEmail := "host." + suffix + "@example.jp"
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]string{"email": hostEmail, "password": uiPassword,
		"role": "host", "name": "Host", "organization": "Kobe Lab"}, nil); st != http.StatusCreated {
		t.Fatalf("host signup = %d", st)
	}
	host := platformtest.NewBrowser(t, p.URL)
	host.Login(hostEmail, uiPassword)
	for _, path := range []string{"/profile/edit/skills", "/profile/wizard"} {
		if got := host.Get(path); got.Status != http.StatusForbidden {
			t.Errorf("host GET %s = %d, want 403", path, got.Status)
		}
	}
	if got := host.Post("/profile/edit/skills", url.Values{"skills": {"taken over"}}); got.Status != http.StatusForbidden {
		t.Errorf("host POST /profile/edit/skills = %d, want 403", got.Status)
	}
	applicant := platformtest.NewBrowser(t, p.URL)
	applicant.Login(email, uiPassword)
	if got := applicant.Get("/profile/edit/passwords"); got.Status != http.StatusNotFound {
		t.Errorf("GET an unknown section = %d, want 404", got.Status)
	}
}

// TestSignupToRankedListInFiveForms walks a new applicant's first visit
// with a test SMTP server for the confirmation link: sign-up, the mailed
// link, the wizard, three applications from the recommendations. It counts
// every form the browser sends (POST navigations) and wants at most 5, with
// three programs on the rank list in the order applied.
func TestSignupToRankedListInFiveForms(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	t.Setenv("TB_SMTP_ADDR", srv.Addr())
	t.Setenv("TB_SMTP_TLS", "none")
	t.Setenv("TB_SMTP_FROM", "TalentBridge <no-reply@talentbridge.test>")
	t.Setenv("TB_PUBLIC_URL", "https://tb.example.org")
	p := startUIPlatform(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if _, err := demo.Load(ctx, p.URL, nil, demo.Options{AdminEmail: uiAdminEmail, AdminPassword: uiAdminPassword,
		Applicants: 10, Wait: 30 * time.Second}); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	person := openBrowser(t, p)
	b := person()
	var mu sync.Mutex
	var forms []string
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeDocument && e.Request.Method == http.MethodPost {
			mu.Lock()
			forms = append(forms, strings.TrimPrefix(e.Request.URL, p.URL))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	sent := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), forms...)
	}
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	email := "priya." + suffix + "@example.org"

	// 1: sign up.
	b.open("/signup")
	b.fill("#f-name", "Priya Nair")
	b.fill("#f-email", email)
	b.fill("#f-password", uiPassword)
	b.submit("sign up", `form[action="/signup"] button[type=submit]`)

	// The mailed link, opened in the same browser: no form.
	m := srv.WaitFor(t, 30*time.Second, func(m mailtest.Message) bool {
		return mailtest.To(email)(m) && strings.Contains(m.Text, "/verify-email?token=")
	})
	b.open(pathOf(t, m.Text, "verify-email"))
	b.expect("the address is confirmed by the link alone", "#email-verified", "")
	b.submit("continue to the profile", "#continue-profile")

	// 2: the wizard.
	b.choose(`input[name=kind]`, "student")
	b.choose("#f-homeCountry", "IN")
	b.choose("#f-region", "Tamil Nadu")
	b.fill("#f-birthYear", "2001")
	b.fill("#f-institution", "Kaveri Institute of Technology")
	b.choose("#f-degreeLevel", "master")
	b.choose("#f-fields", "1.2")
	b.fill("#f-skills", "machine learning, nlp, python")
	b.choose("#f-lang0", "en")
	b.choose("#f-level0", "C1")
	b.choose("#f-lang1", "ja")
	b.choose("#f-level1", "N2")
	b.choose(`#f-consents input[type=checkbox]`, "on")
	b.submit("create the profile", `button[value=save]`)

	// 3–5: apply to the first three recommendations, from their pages.
	b.submit("see the recommendations", `a.button[href="/recommendations"]`)
	var links []string
	eventually(t, 30*time.Second, "three recommendations", func() bool {
		raw := b.eval(`Array.from(document.querySelectorAll('main a[href^="/programs/"]')).map(function(a){return a.getAttribute("href")}).join(" ")`)
		links = uniqueProgramLinks(raw)
		if len(links) < 3 {
			b.open("/recommendations")
			return false
		}
		return true
	})
	for i, link := range links[:3] {
		b.open(link)
		b.submit(fmt.Sprintf("apply %d", i+1), `#apply-form button[type=submit]`)
		if loc := b.location(); !strings.HasPrefix(loc, "/applications") {
			b.shot("apply-refused")
			t.Fatalf("applying to %s led to %s, want the applications page", link, loc)
		}
	}

	// The rank list: three programs, in the order applied.
	b.open("/applications")
	ranked := b.eval(`Array.from(document.querySelectorAll('.ranklist > li a[href^="/programs/"]')).map(function(a){return a.getAttribute("href")}).join(" ")`)
	if got := uniqueProgramLinks(ranked); strings.Join(got, " ") != strings.Join(links[:3], " ") {
		t.Errorf("the rank list is %v, want the three programs in the order applied %v", got, links[:3])
	}
	b.shot("ranked-in-five-forms")
	got := sent()
	t.Logf("forms sent from sign-up to a ranked list: %d %v", len(got), got)
	if len(got) > 5 {
		t.Errorf("%d forms from sign-up to a ranked list of three programs (%v), want at most 5", len(got), got)
	}
	if len(got) < 5 {
		t.Errorf("%d forms counted (%v): sign-up, the wizard and three applications are 5; the count is broken", len(got), got)
	}
}

var programPath = regexp.MustCompile(`^/programs/[^/?#]+$`)

// uniqueProgramLinks keeps the program pages among space-separated links,
// each once, in order.
func uniqueProgramLinks(raw string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Fields(raw) {
		if programPath.MatchString(l) && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}
