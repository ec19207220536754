package session_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/keys"
	"github.com/talentbridge/platform/services/gateway/internal/mongostore"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/services/gateway/internal/session"
	"github.com/talentbridge/platform/services/gateway/internal/token"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/web"
)

const pw = "violet kettle drums at noon"

type site struct {
	URL      string
	db       *mongo.Database
	accounts *app.Accounts
}

// start serves a tiny site the way the web UI will use the manager.
func start(t *testing.T, o session.Options) *site {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	db := mongotest.DB(t)
	if err := mongodb.EnsureIndexes(ctx, db, mongostore.Indexes); err != nil {
		t.Fatal(err)
	}
	store := mongostore.New(db, outbox.Config{})
	_, priv, _ := ed25519.GenerateKey(nil)
	ring, err := keys.Open(keys.Options{SigningKey: base64.StdEncoding.EncodeToString(priv.Seed()), Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := app.NewAccounts(ctx, store, store, store, password.NewHasher(password.Default, 0),
		token.NewIssuer(ring, 0, nil), log, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.Signup(ctx, app.SignupInput{Email: "asha@example.org", Password: pw, Role: domain.RoleApplicant, Name: "Asha"}); err != nil {
		t.Fatal(err)
	}
	v := auth.NewVerifier(ring)
	m := session.New(accounts, v, o)

	e := web.New(web.Options{Log: log})
	pages := e.Group("", m.Refresh())
	auth.Register(pages, v, []auth.Route{
		{Method: "POST", Path: "/login", Policy: auth.Anyone, Handler: func(c echo.Context) error {
			if _, err := m.Login(c, c.FormValue("email"), c.FormValue("password")); err != nil {
				return web.Unauthorized(err.Error())
			}
			return c.NoContent(http.StatusNoContent)
		}},
		{Method: "GET", Path: "/page", Policy: auth.SignedIn, Handler: func(c echo.Context) error {
			cl, _ := auth.FromContext(c)
			return c.String(http.StatusOK, cl.UserID()+" "+m.CSRFToken(c))
		}},
		{Method: "POST", Path: "/change", Policy: auth.SignedIn, Handler: func(c echo.Context) error {
			return c.String(http.StatusOK, "changed")
		}},
		{Method: "POST", Path: "/logout", Policy: auth.SignedIn, Handler: func(c echo.Context) error {
			if err := m.Logout(c); err != nil {
				return err
			}
			return c.NoContent(http.StatusNoContent)
		}},
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &site{URL: srv.URL, db: db, accounts: accounts}
}

func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func (s *site) login(t *testing.T, c *http.Client) *http.Response {
	t.Helper()
	resp, err := c.PostForm(s.URL+"/login", url.Values{"email": {"asha@example.org"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("login = %d, want 204", resp.StatusCode)
	}
	return resp
}

func get(t *testing.T, c *http.Client, u string, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func cookie(resp *http.Response, name string) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func jarCookie(c *http.Client, base, name string) *http.Cookie {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func TestLoginSetsStrictCookies(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		s := start(t, session.Options{Secure: secure})
		resp := s.login(t, browser(t))
		for _, tc := range []struct {
			name     string
			httpOnly bool
		}{
			{auth.AccessCookie, true}, {auth.RefreshCookie, true}, {auth.CSRFCookie, false},
		} {
			ck := cookie(resp, tc.name)
			if ck == nil {
				t.Fatalf("login set no %s cookie", tc.name)
			}
			if ck.HttpOnly != tc.httpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Secure != secure || ck.Value == "" {
				t.Errorf("secure=%v: cookie %s = %+v, want HttpOnly=%v SameSite=Strict Path=/ Secure=%v", secure, tc.name, ck, tc.httpOnly, secure)
			}
		}
		if ma := cookie(resp, auth.AccessCookie).MaxAge; ma < 890 || ma > 900 {
			t.Errorf("access cookie Max-Age = %d, want the token's 900 s", ma)
		}
		if ma := cookie(resp, auth.RefreshCookie).MaxAge; ma < 13*24*3600 {
			t.Errorf("refresh cookie Max-Age = %d, want about 14 days", ma)
		}
	}
}

func TestCookieSessionWithCSRFAndLogout(t *testing.T) {
	t.Parallel()
	s := start(t, session.Options{})
	b := browser(t)
	s.login(t, b)
	resp, body := get(t, b, s.URL+"/page")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("page with the session cookies = %d %s, want 200", resp.StatusCode, body)
	}
	csrf := jarCookie(b, s.URL, auth.CSRFCookie).Value
	if !strings.HasSuffix(body, " "+csrf) {
		t.Errorf("CSRFToken(c) = %q, want the cookie's %q", body, csrf)
	}

	post := func(path, csrfHeader string) int {
		req, _ := http.NewRequest("POST", s.URL+path, nil)
		if csrfHeader != "" {
			req.Header.Set(auth.CSRFHeader, csrfHeader)
		}
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("/change", ""); got != http.StatusForbidden {
		t.Errorf("cookie POST without the CSRF token = %d, want 403", got)
	}
	if got := post("/change", strings.Repeat("x", len(csrf))); got != http.StatusForbidden {
		t.Errorf("cookie POST with a wrong CSRF token = %d, want 403", got)
	}
	if got := post("/change", csrf); got != http.StatusOK {
		t.Errorf("cookie POST with the CSRF token = %d, want 200", got)
	}
	refresh := jarCookie(b, s.URL, auth.RefreshCookie).Value
	if got := post("/logout", csrf); got != http.StatusNoContent {
		t.Fatalf("logout = %d, want 204", got)
	}
	if jarCookie(b, s.URL, auth.AccessCookie) != nil || jarCookie(b, s.URL, auth.RefreshCookie) != nil {
		t.Errorf("session cookies remain after logout")
	}
	if _, err := s.accounts.Refresh(context.Background(), refresh); !errors.Is(err, domain.ErrSessionInvalid) {
		t.Errorf("Refresh(logged-out token) = %v, want ErrSessionInvalid", err)
	}
	if resp, _ := get(t, b, s.URL+"/page"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("page after logout = %d, want 401", resp.StatusCode)
	}
}

func TestRefreshRenewsAnExpiredAccessCookie(t *testing.T) {
	t.Parallel()
	s := start(t, session.Options{})
	b := browser(t)
	s.login(t, b)
	oldRefresh := jarCookie(b, s.URL, auth.RefreshCookie)
	csrf := jarCookie(b, s.URL, auth.CSRFCookie)
	// The browser dropped the access cookie when its Max-Age ran out.
	const n = 6
	var wg sync.WaitGroup
	statuses := make([]int, n)
	newAccess := make([]*http.Cookie, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := get(t, &http.Client{}, s.URL+"/page", oldRefresh, csrf)
			statuses[i] = resp.StatusCode
			newAccess[i] = cookie(resp, auth.AccessCookie)
		}()
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != http.StatusOK || newAccess[i] == nil || newAccess[i].Value == "" {
			t.Fatalf("concurrent page #%d with only the refresh cookie = %d (new access cookie %v), want 200 and a new cookie", i, statuses[i], newAccess[i])
		}
	}
	// One exchange served them all: the token was used once and the session
	// is alive.
	marks := s.db.Collection(mongostore.MarksCollection)
	used, err := marks.CountDocuments(context.Background(), bson.D{{Key: "_id", Value: "used:" + domain.HashRefreshToken(oldRefresh.Value)}})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := marks.CountDocuments(context.Background(), bson.D{})
	if used != 1 || all != 1 {
		t.Errorf("after concurrent refreshes: used mark %d, marks %d; want the one use and no revocation", used, all)
	}
	if resp, _ := get(t, &http.Client{}, s.URL+"/page", newAccess[0]); resp.StatusCode != http.StatusOK {
		t.Errorf("page with the renewed access cookie = %d, want 200", resp.StatusCode)
	}

	// A refresh cookie that is not valid is cleared, and the page refused.
	resp, _ := get(t, &http.Client{}, s.URL+"/page", &http.Cookie{Name: auth.RefreshCookie, Value: "forged"})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("page with a forged refresh cookie = %d, want 401", resp.StatusCode)
	}
	if ck := cookie(resp, auth.RefreshCookie); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("forged refresh cookie not cleared: %v", ck)
	}
}

// The window in which a just-used refresh cookie is answered with the
// exchange's result belongs to the browser that made the exchange (the one
// with the same CSRF cookie): the same cookie replayed from anywhere else,
// even a moment later, is refused and ends the session (issue 16,
// finding 9).
func TestRefreshReplayFromAnotherBrowserIsRefused(t *testing.T) {
	t.Parallel()
	s := start(t, session.Options{})
	b := browser(t)
	login := s.login(t, b)
	// The CSRF cookie names the browser for as long as it holds the session.
	if got, want := cookie(login, auth.CSRFCookie).MaxAge, cookie(login, auth.RefreshCookie).MaxAge; got < want-1 {
		t.Errorf("CSRF cookie Max-Age = %d, want the refresh cookie's %d", got, want)
	}
	oldRefresh := jarCookie(b, s.URL, auth.RefreshCookie)
	csrf := jarCookie(b, s.URL, auth.CSRFCookie)

	// The owner's browser renews its session.
	resp, body := get(t, &http.Client{}, s.URL+"/page", oldRefresh, csrf)
	newRefresh := cookie(resp, auth.RefreshCookie)
	if resp.StatusCode != http.StatusOK || newRefresh == nil || newRefresh.Value == "" {
		t.Fatalf("owner's refresh = %d %s (refresh cookie %v), want 200 and a new refresh cookie", resp.StatusCode, body, newRefresh)
	}
	// Another request of the same browser a moment later shares that result.
	resp, _ = get(t, &http.Client{}, s.URL+"/page", oldRefresh, csrf)
	if ck := cookie(resp, auth.RefreshCookie); resp.StatusCode != http.StatusOK || ck == nil || ck.Value != newRefresh.Value {
		t.Fatalf("same browser again within the window = %d (refresh cookie %v), want 200 and the same new pair", resp.StatusCode, ck)
	}

	otherCSRF := &http.Cookie{Name: auth.CSRFCookie, Value: strings.Repeat("A", len(csrf.Value))}
	for _, tc := range []struct {
		name    string
		cookies []*http.Cookie
	}{
		{"without a CSRF cookie", []*http.Cookie{oldRefresh}},
		{"with another CSRF cookie", []*http.Cookie{oldRefresh, otherCSRF}},
	} {
		resp, _ := get(t, &http.Client{}, s.URL+"/page", tc.cookies...)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("old refresh cookie replayed %s within the window = %d, want 401", tc.name, resp.StatusCode)
		}
		if ck := cookie(resp, auth.AccessCookie); ck != nil && ck.Value != "" {
			t.Errorf("old refresh cookie replayed %s got an access cookie", tc.name)
		}
	}
	// The replay showed that someone else holds the token: the session ends.
	if _, err := s.accounts.Refresh(context.Background(), newRefresh.Value); !errors.Is(err, domain.ErrSessionInvalid) {
		t.Errorf("Refresh(owner's new token) after a replay elsewhere = %v, want ErrSessionInvalid", err)
	}
}
