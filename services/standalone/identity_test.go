package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway/identitytest"
)

// identityPlatform is the standalone composition started in this process.
type identityPlatform struct {
	url string
	key identitytest.Key
}

const (
	identityAdminEmail    = "admin@talentbridge.example"
	identityAdminPassword = "the first operator's passphrase"
	identityPassword      = "violet kettle drums at noon"
)

// startIdentityPlatform runs run() with a known signing key and waits for
// the ready line in its log.
func startIdentityPlatform(t *testing.T) *identityPlatform {
	t.Helper()
	seed := make([]byte, 32)
	_, _ = rand.Read(seed)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"TB_DATA_DIR": dir, "TB_HTTP_ADDR": "127.0.0.1:0", "TB_SYNC_ALWAYS": "false",
		"NATS_URL": "", "MONGODB_URI": "", "TB_LOG_LEVEL": "info",
		"TB_SIGNING_KEY": base64.StdEncoding.EncodeToString(seed), "TB_KEYS_DIR": dir + "/keys",
		"TB_ADMIN_EMAIL": identityAdminEmail, "TB_ADMIN_PASSWORD": identityAdminPassword,
		"TB_PROFILES_URL": "", "TB_PROGRAMS_URL": "", "TB_MATCHING_URL": "",
	} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var (
		logsMu sync.Mutex
		logs   bytes.Buffer
		code   int
		stderr bytes.Buffer
	)
	done := make(chan struct{})
	go func() {
		code = run(ctx, nil, pw, &stderr)
		pw.Close()
		close(done)
	}()
	dump := func() string {
		logsMu.Lock()
		defer logsMu.Unlock()
		return logs.String() + stderr.String()
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
			if code != 0 {
				t.Errorf("run() = %d after stop, want 0; log:\n%s", code, dump())
			}
		case <-time.After(30 * time.Second):
			t.Errorf("the platform did not stop within 30s")
		}
	})
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Bytes()
			logsMu.Lock()
			logs.Write(append(line, '\n'))
			logsMu.Unlock()
			var entry struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if !sent && json.Unmarshal(line, &entry) == nil && entry.Msg == "TalentBridge is ready" {
				ready <- entry.URL
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case url := <-ready:
		return &identityPlatform{url: url, key: identitytest.KeyFromSeed(seed)}
	case <-done:
		t.Fatalf("the platform exited with %d before it was ready; log:\n%s", code, dump())
	case <-time.After(90 * time.Second):
		t.Fatalf("the platform was not ready within 90s; log:\n%s", dump())
	}
	return nil
}

type identityResponse struct {
	status int
	header http.Header
	body   []byte
}

func (p *identityPlatform) call(t *testing.T, method, path, authorization string, body any) identityResponse {
	t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, p.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return identityResponse{status: resp.StatusCode, header: resp.Header, body: raw}
}

type identityTokens struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"`
}

func (p *identityPlatform) login(t *testing.T, email, password string) identityTokens {
	t.Helper()
	r := p.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	if r.status != http.StatusOK {
		t.Fatalf("login %s = %d %s", email, r.status, r.body)
	}
	var tk identityTokens
	if err := json.Unmarshal(r.body, &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

func (p *identityPlatform) refresh(t *testing.T, token string) (int, identityTokens) {
	t.Helper()
	r := p.call(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": token})
	var tk identityTokens
	if r.status == http.StatusOK {
		if err := json.Unmarshal(r.body, &tk); err != nil {
			t.Fatal(err)
		}
	}
	return r.status, tk
}

// TestIdentity drives the identity API of the real standalone composition
// over HTTP, and proves that every service refuses forged tokens.
func TestIdentity(t *testing.T) {
	p := startIdentityPlatform(t)

	var applicantID string
	var applicant identityTokens
	t.Run("sign up, sign in, refresh, reuse revokes the session", func(t *testing.T) {
		r := p.call(t, "POST", "/api/v1/auth/signup", "", map[string]string{
			"email": "Asha.Rao@Example.org", "password": identityPassword, "role": "applicant", "name": "Asha Rao"})
		if r.status != http.StatusCreated {
			t.Fatalf("signup = %d %s, want 201", r.status, r.body)
		}
		var u struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		_ = json.Unmarshal(r.body, &u)
		applicantID = u.ID

		first := p.login(t, "asha.rao@example.org", identityPassword)
		if first.ExpiresIn != 900 {
			t.Errorf("expiresIn = %d, want 900", first.ExpiresIn)
		}
		if r := p.call(t, "GET", "/api/v1/auth/me", "Bearer "+first.AccessToken, nil); r.status != http.StatusOK || !strings.Contains(string(r.body), applicantID) {
			t.Fatalf("me = %d %s, want 200 with the account", r.status, r.body)
		}
		status, second := p.refresh(t, first.RefreshToken)
		if status != http.StatusOK || second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
			t.Fatalf("refresh = %d, want 200 and a new refresh token", status)
		}
		if status, _ := p.refresh(t, first.RefreshToken); status != http.StatusUnauthorized {
			t.Fatalf("refresh with the old token again = %d, want 401", status)
		}
		if status, _ := p.refresh(t, second.RefreshToken); status != http.StatusUnauthorized {
			t.Fatalf("refresh with the newest token after the reuse = %d, want 401 (whole session revoked)", status)
		}
		applicant = p.login(t, "asha.rao@example.org", identityPassword)
	})
	if applicantID == "" {
		t.Fatal("no applicant to attack with")
	}

	// One protected route of every service. A service still being written
	// may not have its route yet: that case is reported and skipped.
	for _, route := range []struct {
		service, method, path string
		body                  any
	}{
		{"gateway", "GET", "/api/v1/auth/me", nil},
		{"profiles", "GET", "/api/v1/profiles/me", nil},
		{"programs", "POST", "/api/v1/programs", map[string]any{}},
		{"matching", "GET", "/api/v1/recommendations/me", nil},
	} {
		t.Run("forged tokens are refused by "+route.service, func(t *testing.T) {
			anon := p.call(t, route.method, route.path, "", route.body)
			switch anon.status {
			case http.StatusUnauthorized:
			case http.StatusNotFound, http.StatusMethodNotAllowed:
				t.Skipf("%s %s is not registered yet (%d): nothing to attack", route.method, route.path, anon.status)
			default:
				t.Fatalf("%s %s without a token = %d %s, want 401", route.method, route.path, anon.status, anon.body)
			}
			// Control: the service accepts a real token (fetching the
			// gateway's keys over NATS), whatever it then answers.
			for name, tok := range map[string]string{
				"issued by the gateway":  applicant.AccessToken,
				"made with the real key": identitytest.Valid(p.key, applicantID, "applicant"),
			} {
				if r := p.call(t, route.method, route.path, "Bearer "+tok, route.body); r.status == http.StatusUnauthorized || r.status >= 500 {
					t.Fatalf("a valid token %s = %d %s, want the service to accept it", name, r.status, r.body)
				}
			}
			for _, tc := range identitytest.Attacks(p.key, applicantID, "applicant") {
				t.Run(tc.Name, func(t *testing.T) {
					begin := time.Now()
					r := p.call(t, route.method, route.path, tc.Authorization, route.body)
					if r.status != http.StatusUnauthorized {
						t.Errorf("%s %s = %d %s, want 401", route.method, route.path, r.status, r.body)
					}
					if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
						t.Errorf("Content-Type = %q, want application/problem+json", ct)
					}
					if took := time.Since(begin); took > 2*time.Second {
						t.Errorf("answered in %s, want quickly", took)
					}
				})
			}
		})
	}

	t.Run("the first admin exists and the JWKS is at the root", func(t *testing.T) {
		admin := p.login(t, identityAdminEmail, identityAdminPassword)
		r := p.call(t, "GET", "/api/v1/auth/me", "Bearer "+admin.AccessToken, nil)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"role":"admin"`) {
			t.Errorf("admin me = %d %s", r.status, r.body)
		}
		r = p.call(t, "GET", "/.well-known/jwks.json", "", nil)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"kid":"`+p.key.ID+`"`) {
			t.Errorf("jwks = %d %s, want the signing key %s", r.status, r.body, p.key.ID)
		}
	})
}
