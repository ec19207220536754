package platformtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
)

// Browser is a test's stand-in for a browser without JavaScript on the
// gateway's pages: it keeps cookies, does not follow redirects and sends
// forms with the CSRF token the way the pages' forms do.
type Browser struct {
	T    testing.TB
	Base string
	// Lang, when set, is sent as Accept-Language.
	Lang   string
	Client *http.Client
}

// NewBrowser returns a browser on the server at base (a URL without a
// trailing slash).
func NewBrowser(t testing.TB, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: t, Base: base, Client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Page is an answer as the browser got it.
type Page struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

// Do sends a request, with form as its urlencoded body when not nil.
func (b *Browser) Do(method, path string, form url.Values) Page {
	b.T.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.Base+path, body)
	if err != nil {
		b.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.Lang != "" {
		req.Header.Set("Accept-Language", b.Lang)
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Page{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(raw)}
}

// Get opens a page.
func (b *Browser) Get(path string) Page { return b.Do(http.MethodGet, path, nil) }

// CSRF is the browser's CSRF cookie, set by the first page it opened; empty
// before.
func (b *Browser) CSRF() string {
	u, _ := url.Parse(b.Base)
	for _, ck := range b.Client.Jar.Cookies(u) {
		if ck.Name == auth.CSRFCookie {
			return ck.Value
		}
	}
	return ""
}

// Post sends a form with the CSRF token, opening the login page first to
// get one if the browser has none yet.
func (b *Browser) Post(path string, form url.Values) Page {
	b.T.Helper()
	if b.CSRF() == "" {
		b.Get("/login")
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set(auth.CSRFFormField, b.CSRF())
	return b.Do(http.MethodPost, path, form)
}

// Login signs in through the login form and fails the test unless the
// answer is the redirect of a successful login.
func (b *Browser) Login(email, password string) {
	b.T.Helper()
	b.Get("/login")
	if p := b.Post("/login", url.Values{"email": {email}, "password": {password}}); p.Status != http.StatusSeeOther {
		b.T.Fatalf("log in %s: status %d, want 303\n%.500s", email, p.Status, p.Body)
	}
}
