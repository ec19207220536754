// Package session keeps browser sign-ins in cookies, for the server-rendered
// web UI. API clients use the JSON endpoints and bearer tokens instead.
//
// Three cookies make a browser session, all SameSite=Strict, Path=/, and
// Secure when the site is served over TLS or TB_COOKIE_SECURE is set:
//
//   - auth.AccessCookie (HttpOnly): the access token, read by the platform's
//     auth middleware exactly like a bearer token;
//   - auth.RefreshCookie (HttpOnly): the refresh token, used by Refresh to
//     get a new access token when the old one is about to expire;
//   - auth.CSRFCookie (readable by the page): the double-submit token. Pages
//     put CSRFToken(c) in every form (field auth.CSRFFormField) or send it
//     in the auth.CSRFHeader header; the auth middleware refuses a
//     cookie-authenticated change without it. A new one is made at sign-in
//     and it lives as long as the refresh cookie, because it also names the
//     browser a refresh belongs to (see Refresh).
//
// Typical use by the UI:
//
//	ui := e.Group("", sessions.Refresh())          // keep sessions fresh
//	user, err := sessions.Login(c, email, password) // sets the cookies
//	token := sessions.CSRFToken(c)                  // for the form
//	err := sessions.Logout(c)                       // ends it, clears them
package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/auth"
)

// RefreshBefore is how close to its expiry an access cookie is refreshed.
const RefreshBefore = time.Minute

// Options configures a Manager.
type Options struct {
	// Secure sets the Secure attribute on every cookie even when the
	// request did not arrive over TLS (TLS ends at a proxy).
	Secure bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Manager signs browsers in and out and keeps their cookies fresh.
type Manager struct {
	accounts *app.Accounts
	verifier *auth.Verifier
	o        Options

	mu      sync.Mutex
	flights map[string]*flight
}

// New returns a manager using the identity use cases and the verifier of
// the gateway's own tokens.
func New(accounts *app.Accounts, verifier *auth.Verifier, o Options) *Manager {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Manager{accounts: accounts, verifier: verifier, o: o, flights: map[string]*flight{}}
}

// Login checks the address and password (with the same per-account and
// per-address limits as the API) and, on success, sets the session cookies
// and a new CSRF token. Errors are the domain's: ErrInvalidCredentials,
// ErrAccountDisabled, *RateLimitedError, validation errors.
func (m *Manager) Login(c echo.Context, email, password string) (*domain.User, error) {
	t, err := m.accounts.Login(c.Request().Context(), email, password, c.RealIP())
	if err != nil {
		return nil, err
	}
	m.SetTokens(c, t)
	m.newCSRF(c, t.RefreshExpiresAt.Sub(m.o.Now()))
	return t.User, nil
}

// Logout ends the session of the refresh cookie (and of the access cookie's
// session) and clears the cookies. Call it from a POST handler: the auth
// middleware has then checked the CSRF token.
func (m *Manager) Logout(c echo.Context) error {
	var refresh string
	if ck, err := c.Request().Cookie(auth.RefreshCookie); err == nil {
		refresh = ck.Value
	}
	var userID, sid string
	if cl, ok := auth.FromContext(c); ok {
		userID, sid = cl.UserID(), cl.Session
	}
	err := m.accounts.Logout(c.Request().Context(), refresh, userID, sid)
	m.Clear(c)
	return err
}

// SetTokens puts a token pair into the session cookies. Each cookie lives
// as long as its token.
func (m *Manager) SetTokens(c echo.Context, t *app.Tokens) {
	now := m.o.Now()
	m.set(c, auth.AccessCookie, t.AccessToken, t.AccessExpiresAt.Sub(now), true)
	m.set(c, auth.RefreshCookie, t.RefreshToken, t.RefreshExpiresAt.Sub(now), true)
}

// Clear removes the session cookies (the CSRF cookie stays; it is not a
// credential).
func (m *Manager) Clear(c echo.Context) {
	for _, name := range []string{auth.AccessCookie, auth.RefreshCookie} {
		m.set(c, name, "", -1, true)
	}
}

const csrfKey = "tb.session.csrf"

// CSRFToken returns the request's CSRF token for forms and scripts, setting
// the CSRF cookie when the browser has none yet.
func (m *Manager) CSRFToken(c echo.Context) string {
	if v, ok := c.Get(csrfKey).(string); ok && v != "" {
		return v
	}
	if ck, err := c.Request().Cookie(auth.CSRFCookie); err == nil && len(ck.Value) >= 32 {
		c.Set(csrfKey, ck.Value)
		return ck.Value
	}
	return m.newCSRF(c, 0)
}

// newCSRF sets a fresh CSRF token (at sign-in, so a token planted before
// it is worthless after) in a cookie living maxAge (zero: the browser
// session).
func (m *Manager) newCSRF(c echo.Context, maxAge time.Duration) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	m.set(c, auth.CSRFCookie, v, maxAge, false)
	c.Set(csrfKey, v)
	return v
}

// browserOf returns the CSRF cookie of a request, which names the browser
// that holds a session, or "" when it has none fit for that.
func browserOf(req *http.Request) string {
	if ck, err := req.Cookie(auth.CSRFCookie); err == nil && len(ck.Value) >= 32 {
		return ck.Value
	}
	return ""
}

// set writes a cookie; maxAge zero makes a browser-session cookie, negative
// deletes it.
func (m *Manager) set(c echo.Context, name, value string, maxAge time.Duration, httpOnly bool) {
	ck := &http.Cookie{
		Name: name, Value: value, Path: "/", HttpOnly: httpOnly,
		Secure: m.o.Secure || c.IsTLS(), SameSite: http.SameSiteStrictMode,
	}
	switch {
	case maxAge < 0:
		ck.MaxAge = -1
	case maxAge > 0:
		ck.MaxAge = max(int(maxAge/time.Second), 1)
	}
	c.SetCookie(ck)
}

// Refresh is middleware for pages: when the access cookie is missing,
// invalid or within RefreshBefore of expiring and a refresh cookie is
// present, it exchanges the refresh token, sets the new cookies, and lets
// the rest of the request see the new access token. Put it before the
// routes' auth middleware (on the group or with e.Pre). Requests with an
// Authorization header are left alone.
//
// Browsers send several requests at once (tabs, frames, a page and its
// scripts); they all carry the same refresh cookie, and a refresh token
// works only once. So concurrent refreshes of one token in this process
// share one exchange, and its result answers the same token for a few
// seconds (reuseFor) — but only to requests from the browser that started
// the exchange, known by its CSRF cookie (made at sign-in, as long-lived
// as the refresh cookie, and sent with every request of that browser). A
// used refresh cookie arriving with another CSRF cookie or none is
// exchanged on its own, which fails and, since a token used twice means
// a copy is in other hands, ends the session; a browser without a CSRF
// cookie (one signed in before the cookie outlived the browser session)
// shares nothing, so at worst it signs in again.
func (m *Manager) Refresh() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Header.Get(echo.HeaderAuthorization) != "" || !m.needsRefresh(req) {
				return next(c)
			}
			rc, err := req.Cookie(auth.RefreshCookie)
			if err != nil || rc.Value == "" {
				return next(c)
			}
			browser := browserOf(req)
			t, err := m.exchange(req.Context(), rc.Value, browser)
			switch {
			case errors.Is(err, domain.ErrSessionInvalid):
				m.Clear(c)
				dropCookies(req, auth.AccessCookie, auth.RefreshCookie)
				return next(c)
			case err != nil:
				// The store is unreachable: carry on with what the request
				// has; a protected page will answer 401 or 503.
				return next(c)
			}
			m.SetTokens(c, t)
			if browser != "" {
				// Keep the browser's name as long as its refresh cookie.
				m.set(c, auth.CSRFCookie, browser, t.RefreshExpiresAt.Sub(m.o.Now()), false)
			}
			dropCookies(req, auth.AccessCookie, auth.RefreshCookie)
			req.AddCookie(&http.Cookie{Name: auth.AccessCookie, Value: t.AccessToken})
			req.AddCookie(&http.Cookie{Name: auth.RefreshCookie, Value: t.RefreshToken})
			return next(c)
		}
	}
}

func (m *Manager) needsRefresh(req *http.Request) bool {
	ck, err := req.Cookie(auth.AccessCookie)
	if err != nil || ck.Value == "" {
		return true
	}
	cl, err := m.verifier.Parse(req.Context(), ck.Value)
	if err != nil || cl.ExpiresAt == nil {
		return true
	}
	return cl.ExpiresAt.Sub(m.o.Now()) < RefreshBefore
}

// dropCookies removes named cookies from a request's Cookie header.
func dropCookies(req *http.Request, names ...string) {
	keep := req.Cookies()
	req.Header.Del("Cookie")
	for _, ck := range keep {
		drop := false
		for _, n := range names {
			drop = drop || ck.Name == n
		}
		if !drop {
			req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		}
	}
}

// reuseFor is how long the result of an exchange answers later requests
// from the same browser that present the same (now used) refresh token.
const reuseFor = 5 * time.Second

type flight struct {
	browser string // the CSRF cookie of the request that started it
	done    chan struct{}
	tokens  *app.Tokens
	err     error
	ended   time.Time
}

// exchange trades a refresh token for a new pair, sharing one exchange
// among the requests of one browser (see Refresh).
func (m *Manager) exchange(ctx context.Context, refresh, browser string) (*app.Tokens, error) {
	key := domain.HashRefreshToken(refresh)
	now := m.o.Now()
	m.mu.Lock()
	for k, f := range m.flights {
		if !f.ended.IsZero() && now.Sub(f.ended) > reuseFor {
			delete(m.flights, k)
		}
	}
	f, ok := m.flights[key]
	if ok && (browser == "" || f.browser != browser) {
		// Not the browser that exchanged this token: no shared result.
		m.mu.Unlock()
		return m.accounts.Refresh(context.WithoutCancel(ctx), refresh)
	}
	if !ok {
		f = &flight{browser: browser, done: make(chan struct{})}
		m.flights[key] = f
	}
	m.mu.Unlock()
	if ok {
		select {
		case <-f.done:
			return f.tokens, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.tokens, f.err = m.accounts.Refresh(context.WithoutCancel(ctx), refresh)
	m.mu.Lock()
	f.ended = m.o.Now()
	if f.err != nil && !errors.Is(f.err, domain.ErrSessionInvalid) {
		delete(m.flights, key) // a transient failure may be retried
	}
	m.mu.Unlock()
	close(f.done)
	return f.tokens, f.err
}
