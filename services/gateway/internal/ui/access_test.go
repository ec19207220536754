package ui_test

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/gateway/internal/ui"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platformtest"
)

// These tests run the gateway (identity and the UI) with real NATS and
// FerretDB and sign in through the pages themselves: access rules, CSRF,
// languages. Pages that need the other services are tested with the whole
// platform in services/standalone.

const (
	adminEmail    = "root@talentbridge.example"
	adminPassword = "a long admin passphrase"
	goodPassword  = "violet kettle drums at noon"
)

type gatewayEnv struct {
	URL string
}

func startGateway(t *testing.T) *gatewayEnv {
	t.Helper()
	seed := make([]byte, 32)
	_, _ = rand.Read(seed)
	cfg := gateway.Config{
		SigningKey: base64.StdEncoding.EncodeToString(seed),
		LoginLimit: 1000, LoginWindow: time.Minute,
		RefreshIdle: 14 * 24 * time.Hour, SessionMax: 30 * 24 * time.Hour,
		AdminEmail: adminEmail, AdminPassword: adminPassword,
	}
	env := platformtest.Start(t, platformtest.Options{BusName: "gateway", RemoteKeys: true},
		gateway.NewWithOptions(gateway.Options{Config: &cfg}))
	return &gatewayEnv{URL: env.Server.URL}
}

// browser is the shared test browser (platformtest.Browser) with the
// sign-up step these tests repeat. It asks for English unless told.
type browser struct{ *platformtest.Browser }

func (g *gatewayEnv) browser(t *testing.T) *browser {
	b := platformtest.NewBrowser(t, g.URL)
	b.Lang = "en"
	return &browser{b}
}

func (b *browser) signup(role, email string) {
	b.T.Helper()
	b.Get("/signup")
	p := b.Post("/signup", url.Values{"role": {role}, "name": {"Test " + role}, "email": {email},
		"password": {goodPassword}, "organization": {"Kaveri Institute of Technology"}})
	if p.Status != http.StatusSeeOther {
		b.T.Fatalf("sign up %s: status %d, want 303\n%s", email, p.Status, p.Body)
	}
}

// signedIn returns a browser signed in with each role.
func signedIn(t *testing.T, g *gatewayEnv) map[string]*browser {
	admin := g.browser(t)
	admin.Login(adminEmail, adminPassword)
	created := admin.Post("/admin/users", url.Values{"name": {"Mei Tanaka"}, "email": {"mei@talentbridge.example"}, "password": {goodPassword}})
	if created.Status != http.StatusSeeOther {
		t.Fatalf("create coordinator: status %d\n%s", created.Status, created.Body)
	}
	coord := g.browser(t)
	coord.Login("mei@talentbridge.example", goodPassword)
	applicant := g.browser(t)
	applicant.signup(auth.RoleApplicant, "asha@example.org")
	host := g.browser(t)
	host.signup(auth.RoleHost, "office@kaveri.example")
	return map[string]*browser{auth.RoleAdmin: admin, auth.RoleCoordinator: coord, auth.RoleApplicant: applicant, auth.RoleHost: host}
}

func routes(t *testing.T) []auth.Route {
	u, err := ui.New(ui.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return u.Table()
}

var idParam = regexp.MustCompile(`:[a-z]+`)

// TestFormsRefuseMissingCSRF posts to every POST route of the UI, as a
// user the route admits, without the CSRF token and with a wrong one: 403
// and the page that says so. With the token the same request passes the
// check (whatever else it then meets).
func TestFormsRefuseMissingCSRF(t *testing.T) {
	g := startGateway(t)
	users := signedIn(t, g)
	anon := g.browser(t)
	anon.Get("/")
	posts := 0
	var logout auth.Route
	for _, r := range routes(t) {
		if r.Method != http.MethodPost {
			continue
		}
		posts++
		if r.Path == "/logout" {
			logout = r // last: it ends the session
			continue
		}
		checkCSRF(t, r, clientFor(r.Policy, users, anon))
	}
	checkCSRF(t, logout, users[auth.RoleApplicant])
	if posts < 20 {
		t.Errorf("found %d POST routes, want every form of the UI (20 or more)", posts)
	}
}

func clientFor(p auth.Policy, users map[string]*browser, anon *browser) *browser {
	switch {
	case p.Public:
		return anon
	case len(p.Roles) == 0:
		return users[auth.RoleApplicant]
	}
	return users[p.Roles[0]]
}

func checkCSRF(t *testing.T, r auth.Route, b *browser) {
	t.Helper()
	path := idParam.ReplaceAllString(r.Path, "00000000-0000-0000-0000-000000000000")
	form := url.Values{"lang": {"ja"}, "reason": {"r"}, "dir": {"up"}}
	for name, token := range map[string]string{"no token": "", "wrong token": strings.Repeat("A", 43)} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if token != "" {
			f.Set(auth.CSRFFormField, token)
		}
		got := b.Do(http.MethodPost, path, f)
		if got.Status != http.StatusForbidden || !strings.Contains(got.Body, "The form had expired") {
			t.Errorf("POST %s with %s = %d, want 403 and the expired-form page\n%.300s", r.Path, name, got.Status, got.Body)
		}
	}
	with := b.Post(path, form)
	if with.Status == http.StatusForbidden && strings.Contains(with.Body, "The form had expired") {
		t.Errorf("POST %s with its CSRF token = 403 for the token, want it accepted", r.Path)
	}
}

// TestEveryPageHasAPolicy: every route of the UI is in an access table.
func TestEveryPageHasAPolicy(t *testing.T) {
	startGateway(t)
	for _, r := range routes(t) {
		if _, ok := auth.PolicyOf(r.Method, r.Path); !ok {
			t.Errorf("%s %s has no recorded policy", r.Method, r.Path)
		}
	}
	if _, ok := auth.PolicyOf(http.MethodGet, "/static/*"); !ok {
		t.Error("GET /static/* has no recorded policy")
	}
}

func TestPagesRefuseWrongRoles(t *testing.T) {
	g := startGateway(t)
	users := signedIn(t, g)
	anon := g.browser(t)
	tests := []struct {
		who, path string
	}{
		{auth.RoleApplicant, "/coord/review"},
		{auth.RoleApplicant, "/host/programs/new"},
		{auth.RoleApplicant, "/admin/users"},
		{auth.RoleHost, "/recommendations"},
		{auth.RoleHost, "/profile/wizard"},
		{auth.RoleHost, "/coord/hosts"},
		{auth.RoleCoordinator, "/admin/users"},
		{auth.RoleCoordinator, "/offers"},
	}
	for _, tc := range tests {
		got := users[tc.who].Get(tc.path)
		if got.Status != http.StatusForbidden || !strings.Contains(got.Body, "may not open this page") {
			t.Errorf("%s GET %s = %d, want 403 and the not-allowed page", tc.who, tc.path, got.Status)
		}
	}
	for _, path := range []string{"/profile", "/coord/review", "/host/programs", "/account"} {
		got := anon.Get(path)
		if got.Status != http.StatusSeeOther || got.Location != "/login?next="+url.QueryEscape(path) {
			t.Errorf("anonymous GET %s = %d to %q, want 303 to the sign-in page", path, got.Status, got.Location)
		}
	}
	if got := anon.Get("/no/such/page"); got.Status != http.StatusNotFound || !strings.Contains(got.Body, "<html") {
		t.Errorf("GET /no/such/page = %d, want a 404 page", got.Status)
	}
	if got := anon.Get("/api/v1/no/such/thing"); got.Status != http.StatusNotFound || got.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("GET /api/v1/no/such/thing = %d %s, want the API's 404 problem", got.Status, got.Header.Get("Content-Type"))
	}
}

func TestSignInRedirectsOnlyToLocalPages(t *testing.T) {
	g := startGateway(t)
	tests := []struct {
		next, want string
	}{
		{"/account", "/account"},
		{"//evil.example/", "/admin/users"},
		{"https://evil.example/", "/admin/users"},
		{"", "/admin/users"},
	}
	for _, tc := range tests {
		b := g.browser(t)
		b.Get("/login")
		got := b.Post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}, "next": {tc.next}})
		if got.Status != http.StatusSeeOther || got.Location != tc.want {
			t.Errorf("log in with next=%q: %d to %q, want 303 to %q", tc.next, got.Status, got.Location, tc.want)
		}
	}
	b := g.browser(t)
	b.Get("/login")
	bad := b.Post("/login", url.Values{"email": {adminEmail}, "password": {"not the password at all"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "The e-mail address or the password is wrong") ||
		!strings.Contains(bad.Body, `role="alert"`) {
		t.Errorf("log in with a wrong password = %d, want 422 with the problem announced", bad.Status)
	}
	if strings.Contains(bad.Body, "not the password at all") {
		t.Error("the sign-in page shows the password typed")
	}
}

func TestLanguageIsChosenAndRemembered(t *testing.T) {
	g := startGateway(t)
	lang := regexp.MustCompile(`<html lang="([a-z]+)">`)
	b := g.browser(t)
	tests := []struct {
		accept, want string
	}{
		{"ja-JP,ja;q=0.9,en;q=0.5", "ja"},
		{"hi-IN", "hi"},
		{"fr-FR", "en"},
		{"", "en"},
	}
	for _, tc := range tests {
		b.Lang = tc.accept
		got := b.Get("/login")
		if m := lang.FindStringSubmatch(got.Body); m == nil || m[1] != tc.want {
			t.Errorf("Accept-Language %q: <html lang> = %v, want %q", tc.accept, m, tc.want)
		}
	}
	b.Lang = "ja"
	if got := b.Post("/lang", url.Values{"lang": {"hi"}, "next": {"/signup"}}); got.Status != http.StatusSeeOther || got.Location != "/signup" {
		t.Fatalf("POST /lang = %d to %q, want 303 back to /signup", got.Status, got.Location)
	}
	got := b.Get("/signup")
	if m := lang.FindStringSubmatch(got.Body); m == nil || m[1] != "hi" {
		t.Errorf("after choosing Hindi with Accept-Language ja: <html lang> = %v, want hi", m)
	}
	if !strings.Contains(got.Body, "खाता बनाएँ") {
		t.Error("the Hindi sign-up page lacks its Hindi heading")
	}
	if got := b.Post("/lang", url.Values{"lang": {"en"}, "next": {"https://evil.example/"}}); got.Location != "/" {
		t.Errorf("POST /lang with a foreign next goes to %q, want /", got.Location)
	}
}

// TestPagesHaveNoInlineCode: the CSP allows no inline script or style, so
// pages must not need any; and they are sent with that CSP.
func TestPagesHaveNoInlineCode(t *testing.T) {
	g := startGateway(t)
	b := g.browser(t)
	for _, path := range []string{"/", "/login", "/signup"} {
		got := b.Get(path)
		if got.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, got.Status)
		}
		if csp := got.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP %q, want script-src 'self'", path, csp)
		}
		for _, bad := range []string{" style=", "<style", "onclick=", "onload=", "javascript:"} {
			if strings.Contains(got.Body, bad) {
				t.Errorf("GET %s has inline code %q", path, bad)
			}
		}
		for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(got.Body, -1) {
			if !strings.Contains(m, `src="/static/`) {
				t.Errorf("GET %s has a script that is not a file of /static: %s", path, m)
			}
		}
	}
	css := b.Get("/static/app.css")
	if css.Status != http.StatusOK || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") || !strings.Contains(css.Body, ":focus-visible") {
		t.Errorf("GET /static/app.css = %d %s, want the stylesheet with focus styles", css.Status, css.Header.Get("Content-Type"))
	}
	if js := b.Get("/static/app.js"); js.Status != http.StatusOK || !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("GET /static/app.js = %d %s, want the script", js.Status, js.Header.Get("Content-Type"))
	}
	for _, path := range []string{"/static/%2e%2e/ui.go", "/static/..%2fui.go", "/static/nothing.css"} {
		if got := b.Get(path); got.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, got.Status)
		}
	}
}
