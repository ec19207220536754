package main

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway/identitytest"
)

// revocationDelay is how soon an ended sign-in or account must stop
// working everywhere (issue 16, finding 1).
const revocationDelay = 5 * time.Second

// refusedWithin polls check until it returns "" or revocationDelay has
// passed, and reports what check last said.
func refusedWithin(t *testing.T, what string, check func() string) {
	t.Helper()
	deadline := time.Now().Add(revocationDelay)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: still %s after %s", what, msg, revocationDelay)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEndedSessionsAndAccountsLoseTheirAccessTokens: in the standalone
// platform, an access token stops working on every service within 5 s of
// its sign-out, of its refresh family being revoked for reuse, and of its
// account being erased; the account's other sign-ins keep working until
// then.
func TestEndedSessionsAndAccountsLoseTheirAccessTokens(t *testing.T) {
	p := startIdentityPlatform(t)
	r := p.call(t, "POST", "/api/v1/auth/signup", "", map[string]string{
		"email": "meera.iyer@example.org", "password": identityPassword, "role": "applicant", "name": "Meera Iyer"})
	if r.status != http.StatusCreated {
		t.Fatalf("signup = %d %s", r.status, r.body)
	}
	var u struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(r.body, &u)

	refused := func(tok, method, path string, body any) func() string {
		return func() string {
			r := p.call(t, method, path, "Bearer "+tok, body)
			if r.status == http.StatusUnauthorized {
				return ""
			}
			return method + " " + path + " = " + http.StatusText(r.status) + " " + string(r.body)
		}
	}
	accepted := func(t *testing.T, tok, method, path string) {
		t.Helper()
		if r := p.call(t, method, path, "Bearer "+tok, nil); r.status == http.StatusUnauthorized || r.status >= 500 {
			t.Fatalf("%s %s with a live token = %d %s, want it accepted", method, path, r.status, r.body)
		}
	}

	out := p.login(t, "meera.iyer@example.org", identityPassword)
	kept := p.login(t, "meera.iyer@example.org", identityPassword)
	for _, tok := range []string{out.AccessToken, kept.AccessToken} {
		accepted(t, tok, "GET", "/api/v1/auth/me")
		accepted(t, tok, "GET", "/api/v1/profiles/me")
	}

	t.Run("logout", func(t *testing.T) {
		if r := p.call(t, "POST", "/api/v1/auth/logout", "Bearer "+out.AccessToken, nil); r.status != http.StatusNoContent {
			t.Fatalf("logout = %d %s", r.status, r.body)
		}
		refusedWithin(t, "gateway after logout", refused(out.AccessToken, "GET", "/api/v1/auth/me", nil))
		refusedWithin(t, "profiles after logout", refused(out.AccessToken, "GET", "/api/v1/profiles/me", nil))
		refusedWithin(t, "matching after logout", refused(out.AccessToken, "GET", "/api/v1/recommendations/me", nil))
		// Only that sign-in ended.
		accepted(t, kept.AccessToken, "GET", "/api/v1/auth/me")
		accepted(t, kept.AccessToken, "GET", "/api/v1/profiles/me")
	})

	t.Run("refresh token reused", func(t *testing.T) {
		stolen := p.login(t, "meera.iyer@example.org", identityPassword)
		status, next := p.refresh(t, stolen.RefreshToken)
		if status != http.StatusOK {
			t.Fatalf("refresh = %d", status)
		}
		if status, _ := p.refresh(t, stolen.RefreshToken); status != http.StatusUnauthorized {
			t.Fatalf("refresh reused = %d, want 401", status)
		}
		for _, tok := range []string{stolen.AccessToken, next.AccessToken} {
			refusedWithin(t, "gateway after reuse", refused(tok, "GET", "/api/v1/auth/me", nil))
			refusedWithin(t, "profiles after reuse", refused(tok, "GET", "/api/v1/profiles/me", nil))
		}
		accepted(t, kept.AccessToken, "GET", "/api/v1/auth/me")
	})

	t.Run("account erased", func(t *testing.T) {
		// A token of the same account minted with the real key and no
		// session (as an attacker holding an older token would have).
		sessionless := identitytest.Valid(p.key, u.ID, "applicant")
		accepted(t, sessionless, "GET", "/api/v1/profiles/me")
		if r := p.call(t, "DELETE", "/api/v1/auth/me", "Bearer "+kept.AccessToken, nil); r.status != http.StatusNoContent {
			t.Fatalf("DELETE /auth/me = %d %s", r.status, r.body)
		}
		for name, tok := range map[string]string{"its own token": kept.AccessToken, "a session-less token": sessionless} {
			refusedWithin(t, "POST /profiles with "+name, refused(tok, "POST", "/api/v1/profiles", profileBody(1)))
			refusedWithin(t, "gateway with "+name, refused(tok, "GET", "/api/v1/auth/me", nil))
			refusedWithin(t, "programs with "+name, refused(tok, "POST", "/api/v1/programs", map[string]any{}))
		}
	})
}

// TestSplitServicesRefuseEndedTokens: with every service in its own
// process, each keeping its own revocation set, the profiles service
// (called directly, not through the gateway) refuses a token within 5 s of
// its sign-out and of its account's erasure.
func TestSplitServicesRefuseEndedTokens(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the split platform")
	}
	s := startSplit(t)
	client := &http.Client{Timeout: 15 * time.Second}
	gw, profiles := s.url("gateway")+"/api/v1", s.url("profiles")+"/api/v1"
	status, body, err := call(client, "POST", gw+"/auth/signup", "", map[string]string{
		"email": "split.revoke@example.org", "password": identityPassword, "role": "applicant", "name": "Split Revoke"})
	if err != nil || status != http.StatusCreated {
		t.Fatalf("signup = %d %s %v", status, body, err)
	}
	login := func() string {
		status, body, err := call(client, "POST", gw+"/auth/login", "", map[string]string{
			"email": "split.revoke@example.org", "password": identityPassword})
		if err != nil || status != http.StatusOK {
			t.Fatalf("login = %d %s %v", status, body, err)
		}
		var tk identityTokens
		decode(t, body, &tk)
		return tk.AccessToken
	}
	refused := func(tok, method, url string, body any) func() string {
		return func() string {
			status, raw, err := call(client, method, url, tok, body)
			if err == nil && status == http.StatusUnauthorized {
				return ""
			}
			return method + " " + url + " = " + http.StatusText(status) + " " + string(raw)
		}
	}
	out, kept := login(), login()
	for _, tok := range []string{out, kept} {
		if status, body, err := call(client, "GET", profiles+"/profiles/me", tok, nil); err != nil || status == http.StatusUnauthorized {
			t.Fatalf("profiles with a live token = %d %s %v", status, body, err)
		}
	}
	if status, body, err := call(client, "POST", gw+"/auth/logout", out, nil); err != nil || status != http.StatusNoContent {
		t.Fatalf("logout = %d %s %v", status, body, err)
	}
	refusedWithin(t, "profiles process after logout", refused(out, "GET", profiles+"/profiles/me", nil))
	if status, body, err := call(client, "GET", profiles+"/profiles/me", kept, nil); err != nil || status == http.StatusUnauthorized {
		t.Fatalf("profiles with the other sign-in = %d %s %v", status, body, err)
	}
	if status, body, err := call(client, "DELETE", gw+"/auth/me", kept, nil); err != nil || status != http.StatusNoContent {
		t.Fatalf("DELETE /auth/me = %d %s %v", status, body, err)
	}
	refusedWithin(t, "profiles process after erasure", refused(kept, "POST", profiles+"/profiles", profileBody(2)))
}
