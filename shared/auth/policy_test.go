package auth_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/web"
)

func serve(t *testing.T, iss *authtest.Issuer) *httptest.Server {
	t.Helper()
	e := web.New(web.Options{Log: slog.New(slog.DiscardHandler)})
	who := func(c echo.Context) error {
		if cl, ok := auth.FromContext(c); ok {
			ctxCl, _ := auth.ClaimsFrom(c.Request().Context())
			if ctxCl != cl {
				t.Errorf("ClaimsFrom(ctx) = %v, want the claims of FromContext", ctxCl)
			}
			return c.String(http.StatusOK, cl.UserID())
		}
		return c.String(http.StatusOK, "anonymous")
	}
	auth.Register(e.Group("/t"), iss.Verifier(), []auth.Route{
		{Method: "GET", Path: "/public", Policy: auth.Anyone, Handler: who},
		{Method: "POST", Path: "/public", Policy: auth.Anyone, Handler: who},
		{Method: "GET", Path: "/signed-in", Policy: auth.SignedIn, Handler: who},
		{Method: "POST", Path: "/hosts", Policy: auth.Hosts, Handler: who},
		{Method: "POST", Path: "/coordinators", Policy: auth.Coordinators, Handler: who},
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

type req struct {
	method, path, bearer, cookie, csrfCookie, csrfHeader string
	// authorization, when set, is the whole Authorization header (for
	// headers that are not "Bearer <token>").
	authorization string
}

func (r req) send(t *testing.T, base string) (int, string, http.Header) {
	t.Helper()
	hr, _ := http.NewRequest(r.method, base+r.path, nil)
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.authorization != "" {
		hr.Header.Set("Authorization", r.authorization)
	}
	if r.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: auth.AccessCookie, Value: r.cookie})
	}
	if r.csrfCookie != "" {
		hr.AddCookie(&http.Cookie{Name: auth.CSRFCookie, Value: r.csrfCookie})
	}
	if r.csrfHeader != "" {
		hr.Header.Set(auth.CSRFHeader, r.csrfHeader)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestRegisterEnforcesPolicies(t *testing.T) {
	t.Parallel()
	iss := authtest.New(t)
	srv := serve(t, iss)
	applicant := iss.Token(t, "app-1", auth.RoleApplicant)
	host := iss.Token(t, "host-1", auth.RoleHost)
	admin := iss.Token(t, "admin-1", auth.RoleAdmin)
	expired := "eyJhbGciOiJFZERTQSJ9.e30.AAAA"
	const csrf = "0123456789abcdef0123456789abcdef"

	for _, tc := range []struct {
		name string
		req  req
		code int
		body string
	}{
		{"public, no token", req{method: "GET", path: "/t/public"}, 200, "anonymous"},
		{"public, valid token", req{method: "GET", path: "/t/public", bearer: host}, 200, "host-1"},
		{"public, bad token is ignored", req{method: "GET", path: "/t/public", bearer: expired}, 200, "anonymous"},
		{"public, cookie change without CSRF is anonymous", req{method: "POST", path: "/t/public", cookie: host}, 200, "anonymous"},
		{"signed in, no token", req{method: "GET", path: "/t/signed-in"}, 401, ""},
		{"signed in, bad token", req{method: "GET", path: "/t/signed-in", bearer: expired}, 401, ""},
		{"signed in, any role", req{method: "GET", path: "/t/signed-in", bearer: applicant}, 200, "app-1"},
		{"signed in by cookie, safe method", req{method: "GET", path: "/t/signed-in", cookie: applicant}, 200, "app-1"},
		{"hosts, as applicant", req{method: "POST", path: "/t/hosts", bearer: applicant}, 403, "your role (applicant) may not do this"},
		{"hosts, as host", req{method: "POST", path: "/t/hosts", bearer: host}, 200, "host-1"},
		{"hosts, by cookie without CSRF", req{method: "POST", path: "/t/hosts", cookie: host}, 403, ""},
		{"hosts, by cookie with a wrong CSRF", req{method: "POST", path: "/t/hosts", cookie: host, csrfCookie: csrf, csrfHeader: strings.ToUpper(csrf)}, 403, ""},
		{"hosts, by cookie with CSRF", req{method: "POST", path: "/t/hosts", cookie: host, csrfCookie: csrf, csrfHeader: csrf}, 200, "host-1"},
		{"hosts, CSRF header without cookie", req{method: "POST", path: "/t/hosts", cookie: host, csrfHeader: csrf}, 403, ""},
		{"coordinators, as admin", req{method: "POST", path: "/t/coordinators", bearer: admin}, 200, "admin-1"},
		{"coordinators, as host", req{method: "POST", path: "/t/coordinators", bearer: host}, 403, ""},
		// Issue 16, finding 7: a valid token outside the Bearer scheme is refused.
		{"signed in, raw token without Bearer", req{method: "GET", path: "/t/signed-in", authorization: applicant}, 401, ""},
		{"signed in, Bearer without a token", req{method: "GET", path: "/t/signed-in", authorization: "Bearer  "}, 401, ""},
		{"signed in, other scheme", req{method: "GET", path: "/t/signed-in", authorization: "Token " + applicant}, 401, ""},
		{"signed in, raw token beside a cookie", req{method: "GET", path: "/t/signed-in", authorization: applicant, cookie: applicant}, 401, ""},
		{"signed in, lower-case bearer", req{method: "GET", path: "/t/signed-in", authorization: "bearer " + applicant}, 200, "app-1"},
		{"hosts, raw token without Bearer", req{method: "POST", path: "/t/hosts", authorization: host}, 401, ""},
		{"public, raw token is anonymous", req{method: "GET", path: "/t/public", authorization: host}, 200, "anonymous"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := tc.req.send(t, srv.URL)
			// A success answers tc.body exactly; a problem contains it.
			if code != tc.code || (tc.body != "" && body != tc.body && (code < 400 || !strings.Contains(body, tc.body))) {
				t.Fatalf("%s %s = %d %q, want %d %q", tc.req.method, tc.req.path, code, body, tc.code, tc.body)
			}
			if code == 401 && h.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
			if code >= 400 && h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("error Content-Type = %q, want application/problem+json", h.Get("Content-Type"))
			}
		})
	}
	for _, tc := range []struct {
		method, path string
		want         auth.Policy
	}{
		{"GET", "/t/public", auth.Anyone}, {"GET", "/t/signed-in", auth.SignedIn}, {"POST", "/t/hosts", auth.Hosts},
	} {
		if got, ok := auth.PolicyOf(tc.method, tc.path); !ok || got.String() != tc.want.String() {
			t.Errorf("PolicyOf(%s %s) = %v, %v; want %v", tc.method, tc.path, got, ok, tc.want)
		}
	}
	if _, ok := auth.PolicyOf("GET", "/t/never-registered"); ok {
		t.Errorf("PolicyOf(unregistered) found a policy")
	}
}
