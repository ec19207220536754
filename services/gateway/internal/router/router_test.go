package router

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/web"
)

type hit struct {
	service, method, path, query, xff, auth, body string
}

// upstream is a stand-in service that records what reaches it.
type upstream struct {
	name string
	mu   sync.Mutex
	hits []hit
	srv  *httptest.Server
}

func newUpstream(t *testing.T, name string) *upstream {
	u := &upstream{name: name}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.hits = append(u.hits, hit{name, r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("X-Forwarded-For"),
			r.Header.Get("Authorization"), string(body)})
		u.mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/slow") {
			time.Sleep(time.Second)
		}
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Upstream", name)
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, "from "+name)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) last(t *testing.T) hit {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.hits) == 0 {
		t.Fatalf("%s got no request", u.name)
	}
	h := u.hits[len(u.hits)-1]
	u.hits = nil
	return h
}

func (u *upstream) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.hits)
}

func gateway(t *testing.T, up Upstreams, o Options) *httptest.Server {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	e := web.New(web.Options{Log: log})
	New(up, o).Register(e.Group("/api/v1"), authtest.New(t).Verifier())
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func send(t *testing.T, method, url, body string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestEveryRouteReachesItsService(t *testing.T) {
	t.Parallel()
	ups := map[string]*upstream{}
	conf := Upstreams{}
	for _, name := range []string{Profiles, Programs, Matching, Documents, Placements} {
		ups[name] = newUpstream(t, name)
		conf[name] = mustURL(t, ups[name].srv.URL)
	}
	gw := gateway(t, conf, Options{})
	for _, r := range Table {
		path := "/api/v1" + strings.ReplaceAll(r.Path, ":id", "abc-123")
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			resp := send(t, r.Method, gw.URL+path+"?page=2", `{"x":1}`, "Authorization", "Bearer tok", "Content-Type", "application/json")
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusTeapot || string(body) != "from "+r.Service {
				t.Fatalf("%s %s = %d %q, want the %s service's answer", r.Method, path, resp.StatusCode, body, r.Service)
			}
			h := ups[r.Service].last(t)
			if h.method != r.Method || h.path != path || h.query != "page=2" || h.auth != "Bearer tok" {
				t.Errorf("%s received %+v, want %s %s?page=2 with the token", r.Service, h, r.Method, path)
			}
			if r.Method != http.MethodGet && h.body != `{"x":1}` {
				t.Errorf("%s received body %q", r.Service, h.body)
			}
			for name, u := range ups {
				if n := u.count(); n != 0 {
					t.Errorf("%s also got %d requests", name, n)
				}
			}
		})
	}
}

// The cases that routing by the first path segment would get wrong.
func TestRoutingIsNotByFirstSegment(t *testing.T) {
	t.Parallel()
	ups := map[string]*upstream{}
	conf := Upstreams{}
	for _, name := range []string{Profiles, Programs, Matching, Documents, Placements} {
		ups[name] = newUpstream(t, name)
		conf[name] = mustURL(t, ups[name].srv.URL)
	}
	gw := gateway(t, conf, Options{})
	for _, tc := range []struct{ method, path, service string }{
		{"GET", "/programs/p1/candidates", Matching},
		{"PUT", "/programs/p1/ranking", Matching},
		{"GET", "/programs/p1", Programs},
		{"POST", "/programs/p1/publish", Programs},
		{"GET", "/profiles/me/export", Profiles},
		{"GET", "/profiles/me", Profiles},
		{"GET", "/profiles/someone", Profiles},
		{"PUT", "/applications/me/ranking", Matching},
		{"GET", "/documents/d1/content", Documents},
		{"POST", "/references/upload/tok", Documents},
		{"GET", "/placements/me", Placements},
		{"POST", "/placements/p1/tasks/jp_address/done", Placements},
	} {
		resp := send(t, tc.method, gw.URL+"/api/v1"+tc.path, "")
		if got := resp.Header.Get("X-Upstream"); got != tc.service {
			t.Errorf("%s %s went to %q, want %s", tc.method, tc.path, got, tc.service)
		}
		ups[tc.service].last(t)
	}
}

func TestUnknownRoutesAndForwardingDetails(t *testing.T) {
	t.Parallel()
	up := newUpstream(t, Profiles)
	conf := Upstreams{Profiles: mustURL(t, up.srv.URL), Programs: mustURL(t, up.srv.URL), Matching: mustURL(t, up.srv.URL)}
	gw := gateway(t, conf, Options{})

	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/api/v1/nothing-here", http.StatusNotFound},
		{"GET", "/api/v1/profiles/me/secrets", http.StatusNotFound},
		{"GET", "/api/v1/profiles/a/b", http.StatusNotFound},
		{"POST", "/api/v1/recommendations/me", http.StatusMethodNotAllowed},
	} {
		resp := send(t, tc.method, gw.URL+tc.path, "")
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s = %d (%s), want %d problem", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status)
		}
	}
	if n := up.count(); n != 0 {
		t.Errorf("unknown routes reached a service %d times", n)
	}

	// A client cannot forge its address through the gateway.
	resp := send(t, "GET", gw.URL+"/api/v1/profiles/me", "", "X-Forwarded-For", "1.2.3.4")
	h := up.last(t)
	if h.xff != "127.0.0.1" {
		t.Errorf("service saw X-Forwarded-For %q, want only the client address 127.0.0.1", h.xff)
	}
	if got := resp.Header.Values("X-Frame-Options"); len(got) != 1 {
		t.Errorf("X-Frame-Options sent %d times (%v), want once", len(got), got)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("no X-Request-Id on a forwarded answer")
	}
}

func TestUnreachableServiceIs503(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := mustURL(t, down.URL)
	down.Close()
	slow := newUpstream(t, Matching)
	conf := Upstreams{Profiles: downURL, Programs: downURL, Matching: mustURL(t, slow.srv.URL)}
	gw := gateway(t, conf, Options{ResponseTimeout: 100 * time.Millisecond})

	for _, path := range []string{"/api/v1/profiles/me", "/api/v1/rounds/slow"} {
		begin := time.Now()
		resp := send(t, "GET", gw.URL+path, "")
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(string(body), `"code":"unavailable"`) || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s = %d %s %s, want a 503 problem with Retry-After", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if took := time.Since(begin); took > 900*time.Millisecond {
			t.Errorf("GET %s took %s, want the timeout to cut it short", path, took)
		}
	}
}

func TestParseUpstreams(t *testing.T) {
	t.Parallel()
	if up, err := ParseUpstreams("", "", "", "", ""); up != nil || err != nil {
		t.Errorf("ParseUpstreams(none) = %v, %v; want standalone (nil, nil)", up, err)
	}
	up, err := ParseUpstreams("http://profiles:8080/", "http://programs:8080", "https://matching.internal", "http://documents:8080",
		"http://placements:8080")
	if err != nil || up[Profiles].Host != "profiles:8080" || up[Matching].Scheme != "https" || up[Documents].Host != "documents:8080" ||
		up[Placements].Host != "placements:8080" {
		t.Errorf("ParseUpstreams(all) = %v, %v", up, err)
	}
	for _, bad := range [][5]string{
		{"http://profiles:8080", "", "", "", ""},
		{"http://a", "http://b", "http://c", "", ""},
		{"http://a", "http://b", "http://c", "http://d", ""},
		{"http://a", "http://b", "ftp://c", "http://d", "http://e"},
		{"http://a", "http://b", "matching:8080", "http://d", "http://e"},
	} {
		if _, err := ParseUpstreams(bad[0], bad[1], bad[2], bad[3], bad[4]); err == nil {
			t.Errorf("ParseUpstreams(%v) = nil error", bad)
		}
	}
}

// An upload route takes its service's body limit at the gateway too: a
// 5 MiB letter reaches the documents service, the same body to another
// route is refused at the gateway.
func TestUploadsPassTheGatewayBodyLimit(t *testing.T) {
	t.Parallel()
	docs := newUpstream(t, Documents)
	prof := newUpstream(t, Profiles)
	conf := Upstreams{Profiles: mustURL(t, prof.srv.URL), Programs: mustURL(t, prof.srv.URL),
		Matching: mustURL(t, prof.srv.URL), Documents: mustURL(t, docs.srv.URL)}
	gw := gateway(t, conf, Options{})
	body := strings.Repeat("x", 5<<20)
	if resp := send(t, "POST", gw.URL+"/api/v1/references/upload/tok", body); resp.StatusCode != http.StatusTeapot {
		t.Fatalf("POST 5 MiB to an upload route = %d, want the documents service's answer", resp.StatusCode)
	}
	if h := docs.last(t); len(h.body) != len(body) {
		t.Errorf("documents received %d bytes, want %d", len(h.body), len(body))
	}
	if resp := send(t, "POST", gw.URL+"/api/v1/profiles", body); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST 5 MiB to /profiles = %d, want 413 at the gateway", resp.StatusCode)
	}
}
