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
