package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

type signup struct {
	Email string `json:"email"`
	Age   int    `json:"age"`
}

var errDomain = errors.New("host not verified")

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	e := web.New(web.Options{
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		BodyLimit: 1 << 10,
		Mappers: []web.Mapper{func(err error) *web.Error {
			if errors.Is(err, errDomain) {
				return web.Forbidden("host_not_verified", "a coordinator must verify your organisation first")
			}
			return nil
		}},
	})
	web.Health(e,
		web.Check{Name: "mongodb", Fn: func(context.Context) error { return nil }},
		web.Check{Name: "nats", Fn: func(context.Context) error { return errors.New("connection refused") }},
	)
	e.POST("/signup", func(c echo.Context) error {
		var s signup
		if err := web.Bind(c, &s); err != nil {
			return err
		}
		if !strings.Contains(s.Email, "@") {
			return web.Invalid(web.FieldError{Field: "email", Reason: "must be an e-mail address"})
		}
		return c.JSON(http.StatusCreated, s)
	})
	e.GET("/domain", func(echo.Context) error { return errDomain })
	e.GET("/panic", func(echo.Context) error { panic("secret internal state") })
	e.GET("/fail", func(echo.Context) error { return errors.New("dial tcp 10.0.0.7:27017: secret") })
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func TestProblems(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"ok", "POST", "/signup", `{"email":"a@b.in","age":20}`, 201, "", ""},
		{"unknown field", "POST", "/signup", `{"email":"a@b.in","role":"admin"}`, 400, "invalid_request", "role"},
		{"wrong type", "POST", "/signup", `{"email":"a@b.in","age":"x"}`, 400, "invalid_request", "age"},
		{"malformed", "POST", "/signup", `{"email":`, 400, "malformed_json", ""},
		{"two values", "POST", "/signup", `{"email":"a@b.in"}{}`, 400, "malformed_json", ""},
		{"empty", "POST", "/signup", ``, 400, "malformed_json", ""},
		{"rule", "POST", "/signup", `{"email":"nope"}`, 400, "invalid_request", "email"},
		{"too large", "POST", "/signup", `{"email":"` + strings.Repeat("a", 2000) + `"}`, 413, "body_too_large", ""},
		{"domain error", "GET", "/domain", ``, 403, "host_not_verified", ""},
		{"no route", "GET", "/nope", ``, 404, "not_found", ""},
		{"panic", "GET", "/panic", ``, 500, "internal", ""},
		{"internal", "GET", "/fail", ``, 500, "internal", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%s %s = %d %s, want %d", tc.method, tc.path, resp.StatusCode, raw, tc.status)
			}
			if tc.code == "" {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
			var p web.Problem
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatalf("body %s: %v", raw, err)
			}
			if p.Code != tc.code || p.Status != tc.status {
				t.Errorf("problem = %+v, want code %s status %d", p, tc.code, tc.status)
			}
			if tc.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tc.field) {
				t.Errorf("problem errors = %+v, want one naming %q", p.Errors, tc.field)
			}
			if strings.Contains(string(raw), "secret") {
				t.Errorf("problem leaks internals: %s", raw)
			}
		})
	}
}

func TestReadyzNamesFailingCheck(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 503 || body.Checks["mongodb"] != "ok" || !strings.HasPrefix(body.Checks["nats"], "unreachable") {
		t.Errorf("/readyz = %d %+v, want 503 with nats unreachable and mongodb ok", resp.StatusCode, body)
	}
	if h, _ := http.Get(srv.URL + "/healthz"); h.StatusCode != 200 {
		t.Errorf("/healthz = %d, want 200", h.StatusCode)
	}
}

func TestSecurityHeadersAndMetrics(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("CSP = %q", resp.Header.Get("Content-Security-Policy"))
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("no X-Request-Id")
	}
	m, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(m.Body)
	m.Body.Close()
	if !strings.Contains(string(raw), `tb_http_requests_total{method="GET",route="/healthz",status="200"}`) {
		t.Errorf("/metrics lacks the request counter for /healthz")
	}
}

func TestAccessLogRecordsErrorStatus(t *testing.T) {
	var buf strings.Builder
	e := web.New(web.Options{Log: slog.New(slog.NewJSONHandler(&buf, nil))})
	e.GET("/denied", func(echo.Context) error { return web.Forbidden("nope", "not yours") })
	srv := httptest.NewServer(e)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/denied")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status = %d, want 403", resp.StatusCode)
	}
	if !strings.Contains(buf.String(), `"status":403`) {
		t.Errorf("access log does not record the 403: %s", buf.String())
	}
}

// TestProblemMembers pins the encoding of extension members: after the
// standard members, in key order, and the whole body exactly.
func TestProblemMembers(t *testing.T) {
	e := web.New(web.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	e.GET("/x", func(echo.Context) error {
		return &web.Error{Status: http.StatusUnprocessableEntity, Code: "not_eligible", Detail: "no",
			Fields:  []web.FieldError{{Field: "programId", Code: fielderr.NotEligible, Reason: "too young"}},
			Members: map[string]any{"reasons": []map[string]string{{"code": "age"}}, "a": 1}}
	})
	e.GET("/plain", func(echo.Context) error { return web.NotFound("thing") })
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	for path, want := range map[string]string{
		"/x":     `{"type":"https://talentbridge.example/problems/not_eligible","title":"Unprocessable Entity","status":422,"code":"not_eligible","detail":"no","instance":"/x","errors":[{"field":"programId","code":"not_eligible","reason":"too young"}],"a":1,"reasons":[{"code":"age"}]}` + "\n",
		"/plain": `{"type":"https://talentbridge.example/problems/not_found","title":"Not Found","status":404,"code":"not_found","detail":"thing not found","instance":"/plain"}` + "\n",
	} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != want {
			t.Errorf("GET %s body\n got %s\nwant %s", path, body, want)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("GET %s content type %q", path, ct)
		}
	}
}
