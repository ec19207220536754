package gateway_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/gateway/identitytest"
	"github.com/talentbridge/platform/services/gateway/internal/router"
	"github.com/talentbridge/platform/shared/auth"
)

// Every forged, altered or expired token is refused on a protected route.
func TestTokenAttacksAreRefused(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	u := e.signup(t, uniqueEmail(t, "victim"), "applicant")

	// The control: a token built the same way with the real key works, so
	// each attack below fails for its own flaw only.
	if r := e.do(t, "GET", "/api/v1/auth/me", identitytest.Valid(e.Key, u.ID, "applicant"), nil); r.Status != http.StatusOK {
		t.Fatalf("hand-made valid token = %d %s, want 200", r.Status, r.Body)
	}
	for _, tc := range identitytest.Attacks(e.Key, u.ID, "applicant") {
		t.Run(tc.Name, func(t *testing.T) {
			begin := time.Now()
			r := e.do(t, "GET", "/api/v1/auth/me", "", nil, "Authorization", tc.Authorization)
			if took := time.Since(begin); took > 2*time.Second {
				t.Errorf("answered in %s, want quickly", took)
			}
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("GET /auth/me = %d %s, want 401", r.Status, r.Body)
			}
			if p := r.Problem(t); p.Code != "unauthorized" {
				t.Errorf("problem code = %q, want unauthorized", p.Code)
			}
		})
	}
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	r := e.do(t, "GET", "/.well-known/jwks.json", "", nil)
	var set auth.JWKS
	r.JSON(t, &set)
	if r.Status != http.StatusOK || len(set.Keys) != 1 || set.Keys[0].Kid != e.Key.ID || set.Keys[0].Alg != "EdDSA" || set.Keys[0].Crv != "Ed25519" {
		t.Fatalf("GET /.well-known/jwks.json = %d %s, want the signing key", r.Status, r.Body)
	}
	if r := e.do(t, "GET", "/api/v1/.well-known/jwks.json", "", nil); r.Status != http.StatusNotFound {
		t.Errorf("JWKS under /api/v1 = %d, want 404 (it lives at the root)", r.Status)
	}
	msg, err := e.NC.Request(auth.JWKSSubject, nil, 5*time.Second)
	if err != nil {
		t.Fatalf("JWKS over NATS: %v", err)
	}
	var overNATS auth.JWKS
	if err := json.Unmarshal(msg.Data, &overNATS); err != nil || len(overNATS.Keys) != 1 || overNATS.Keys[0] != set.Keys[0] {
		t.Errorf("JWKS over NATS = %s, want the same as over HTTP", msg.Data)
	}

	// An issued token names the key, carries the claims, and verifies with
	// the keys another service fetches over NATS.
	u := e.signup(t, uniqueEmail(t, "claims"), "applicant")
	tk := e.login(t, u.Email, goodPassword)
	header, claims := decodeJWT(t, tk.AccessToken)
	if header["alg"] != "EdDSA" || header["kid"] != e.Key.ID {
		t.Errorf("token header = %v, want alg EdDSA and kid %s", header, e.Key.ID)
	}
	for _, c := range []string{"iss", "aud", "sub", "role", "exp", "iat", "jti", "sid"} {
		if _, ok := claims[c]; !ok {
			t.Errorf("token has no %q claim: %v", c, claims)
		}
	}
	if exp, iat := claims["exp"].(float64), claims["iat"].(float64); exp-iat != 900 {
		t.Errorf("token lifetime = %v s, want 900", exp-iat)
	}
	remote := auth.NewVerifier(auth.NewRemoteKeys(e.NC))
	cl, err := remote.Parse(context.Background(), tk.AccessToken)
	if err != nil || cl.UserID() != u.ID || cl.Role != "applicant" {
		t.Errorf("RemoteKeys verifier: %v, %v; want the user's claims", cl, err)
	}
}

func decodeJWT(t *testing.T, tok string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", tok)
	}
	for i, dst := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatal(err)
		}
	}
	return header, claims
}

// With generated keys, a rotation publishes the new key and keeps the old
// one, so tokens signed before it keep working everywhere.
func TestKeyRotation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := start(t, envOptions{config: func(c *gateway.Config) { c.SigningKey = ""; c.KeysDir = dir }})
	remote := auth.NewVerifier(auth.NewRemoteKeys(e.NC))
	u := e.signup(t, uniqueEmail(t, "rotor"), "applicant")
	before := e.login(t, u.Email, goodPassword)
	oldKid, _ := decodeJWT(t, before.AccessToken)
	if _, err := remote.Parse(context.Background(), before.AccessToken); err != nil {
		t.Fatalf("remote verify before rotation: %v", err)
	}

	if err := e.Service.RotateKey(); err != nil {
		t.Fatal(err)
	}
	after := e.login(t, u.Email, goodPassword)
	newKid, _ := decodeJWT(t, after.AccessToken)
	if newKid["kid"] == oldKid["kid"] {
		t.Fatalf("the token after rotation has the old kid %v", oldKid["kid"])
	}
	var set auth.JWKS
	e.do(t, "GET", "/.well-known/jwks.json", "", nil).JSON(t, &set)
	if len(set.Keys) != 2 || set.Keys[0].Kid != newKid["kid"] || set.Keys[1].Kid != oldKid["kid"] {
		t.Errorf("JWKS after rotation = %+v, want the new key then the old one", set.Keys)
	}
	for name, tok := range map[string]string{"old": before.AccessToken, "new": after.AccessToken} {
		if r := e.do(t, "GET", "/api/v1/auth/me", tok, nil); r.Status != http.StatusOK {
			t.Errorf("gateway with the %s key's token = %d, want 200", name, r.Status)
		}
	}
	// A service's verifier that fetches the keys now trusts both. (One that
	// fetched them just before the rotation learns the new kid at its next
	// refetch, at most auth.RemoteKeys.MinRefresh later.)
	remote2 := auth.NewVerifier(auth.NewRemoteKeys(e.NC))
	for name, tok := range map[string]string{"old": before.AccessToken, "new": after.AccessToken} {
		if _, err := remote2.Parse(context.Background(), tok); err != nil {
			t.Errorf("remote verify of the %s key's token: %v", name, err)
		}
	}

	// Keys from the environment are rotated there, not by the service.
	envKeys := start(t, envOptions{})
	if err := envKeys.Service.RotateKey(); err == nil {
		t.Errorf("RotateKey with TB_SIGNING_KEY = nil, want an error")
	}
}

// Every route of the gateway, its own and the forwarded ones, is in an
// access table.
func TestEveryRouteHasAPolicy(t *testing.T) {
	t.Parallel()
	standalone := start(t, envOptions{})
	split := start(t, envOptions{config: func(c *gateway.Config) {
		c.ProfilesURL, c.ProgramsURL, c.MatchingURL = "http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3"
		c.DocumentsURL, c.PlacementsURL = "http://127.0.0.1:4", "http://127.0.0.1:5"
	}})
	for name, e := range map[string]*env{"standalone": standalone, "split": split} {
		n := 0
		for _, r := range e.Echo.Routes() {
			if !strings.HasPrefix(r.Path, "/api/v1") && r.Path != "/.well-known/jwks.json" {
				continue
			}
			if r.Method == echoRouteNotFound {
				continue
			}
			n++
			if _, ok := auth.PolicyOf(r.Method, r.Path); !ok {
				t.Errorf("%s: %s %s has no access policy", name, r.Method, r.Path)
			}
		}
		// identity 12 (with reading one account and declining a host),
		// links, passwords and admin 9, notifications 4 (inbox 2, settings
		// 2), the API document
		want := 26
		if name == "split" {
			want += len(router.Table)
		}
		if n != want {
			t.Errorf("%s: %d routes checked, want %d", name, n, want)
		}
	}
	for _, tc := range []struct {
		method, path string
		want         auth.Policy
	}{
		{"POST", "/api/v1/auth/signup", auth.Anyone},
		{"POST", "/api/v1/auth/login", auth.Anyone},
		{"GET", "/api/v1/auth/me", auth.SignedIn},
		{"DELETE", "/api/v1/auth/me", auth.SignedIn},
		{"POST", "/api/v1/auth/users", auth.Admins},
		{"GET", "/api/v1/auth/users", auth.Coordinators},
		{"POST", "/api/v1/auth/users/:id/verify", auth.Coordinators},
		{"POST", "/api/v1/auth/email/verify", auth.Anyone},
		{"POST", "/api/v1/auth/email/resend", auth.SignedIn},
		{"POST", "/api/v1/auth/password/forgot", auth.Anyone},
		{"POST", "/api/v1/auth/password/reset", auth.Anyone},
		{"POST", "/api/v1/auth/password/change", auth.SignedIn},
		{"POST", "/api/v1/auth/users/:id/disable", auth.Admins},
		{"POST", "/api/v1/auth/users/:id/enable", auth.Admins},
		{"POST", "/api/v1/auth/users/:id/password-reset", auth.Admins},
		{"GET", "/api/v1/auth/audit", auth.Admins},
	} {
		if got, _ := auth.PolicyOf(tc.method, tc.path); got.String() != tc.want.String() {
			t.Errorf("PolicyOf(%s %s) = %s, want %s", tc.method, tc.path, got, tc.want)
		}
	}
}

const echoRouteNotFound = "echo_route_not_found"

func TestHTTPHardening(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{corsOrigins: []string{"https://app.talentbridge.example"}})

	t.Run("body limit", func(t *testing.T) {
		big := `{"email":"a@example.org","password":"` + strings.Repeat("x", 1<<20) + `"}`
		r := e.do(t, "POST", "/api/v1/auth/signup", "", big)
		if r.Status != http.StatusRequestEntityTooLarge || r.Problem(t).Code != "body_too_large" {
			t.Errorf("1 MiB body = %d %s, want 413", r.Status, r.Body)
		}
		// Without a Content-Length the limit still holds.
		req, _ := http.NewRequest("POST", e.URL+"/api/v1/auth/login", io.MultiReader(strings.NewReader(big)))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked 1 MiB body = %d, want 413", resp.StatusCode)
		}
	})

	t.Run("secure headers", func(t *testing.T) {
		for _, path := range []string{"/api/v1/auth/me", "/.well-known/jwks.json"} {
			r := e.do(t, "GET", path, "", nil)
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("%s %s = %q, want %q", path, h, got, want)
				}
			}
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s Content-Security-Policy = %q", path, csp)
			}
		}
	})

	t.Run("CORS allow-list", func(t *testing.T) {
		preflight := func(origin string) http.Header {
			req, _ := http.NewRequest("OPTIONS", e.URL+"/api/v1/auth/login", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.Header
		}
		if got := preflight("https://app.talentbridge.example").Get("Access-Control-Allow-Origin"); got != "https://app.talentbridge.example" {
			t.Errorf("allowed origin: Access-Control-Allow-Origin = %q", got)
		}
		if got := preflight("https://evil.example").Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("other origin: Access-Control-Allow-Origin = %q, want none", got)
		}
		r := e.do(t, "GET", "/.well-known/jwks.json", "", nil, "Origin", "https://evil.example")
		if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("simple request from another origin: Access-Control-Allow-Origin = %q, want none", got)
		}
	})

	t.Run("tokens are not cached", func(t *testing.T) {
		u := e.signup(t, uniqueEmail(t, "cache"), "applicant")
		r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": u.Email, "password": goodPassword})
		if got := r.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("login Cache-Control = %q, want no-store", got)
		}
	})

	t.Run("oversized header line", func(t *testing.T) {
		r := e.do(t, "GET", "/api/v1/auth/me", "", nil, "Authorization", "Bearer "+string(bytes.Repeat([]byte("a"), auth.MaxTokenLength+1)))
		if r.Status != http.StatusUnauthorized {
			t.Errorf("token one byte over the limit = %d, want 401", r.Status)
		}
	})
}
