package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTargetURL(t *testing.T) {
	tests := []struct {
		addr, path string
		want       string
		wantErr    bool
	}{
		{"", "/readyz", "http://127.0.0.1:8080/readyz", false},
		{":9090", "/readyz", "http://127.0.0.1:9090/readyz", false},
		{"0.0.0.0:8080", "/healthz", "http://127.0.0.1:8080/healthz", false},
		{"127.0.0.1:8081", "/readyz", "http://127.0.0.1:8081/readyz", false},
		{"[::]:8080", "/readyz", "http://[::1]:8080/readyz", false},
		{"localhost:8080", "/readyz", "http://127.0.0.1:8080/readyz", false},
		{"8080", "/readyz", "", true},
		{"host:", "/readyz", "", true},
		{":8080", "readyz", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.addr+tc.path, func(t *testing.T) {
			got, err := targetURL(tc.addr, tc.path)
			if (err != nil) != tc.wantErr {
				t.Fatalf("targetURL(%q, %q) error = %v, want error %v", tc.addr, tc.path, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("targetURL(%q, %q) = %q, want %q", tc.addr, tc.path, got, tc.want)
			}
		})
	}
}

// serve starts a server on loopback and returns the TB_HTTP_ADDR that
// points the probe at it, and the paths it was asked for.
func serve(t *testing.T, h http.HandlerFunc) (addr string, paths *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.Path)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return ":" + port, &seen
}

func env(addr string) func(string) string {
	return func(k string) string {
		if k == "TB_HTTP_ADDR" {
			return addr
		}
		return ""
	}
}

func TestRun(t *testing.T) {
	ok := func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"status":"ok"}`)) }
	unready := func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"nats":"connection closed"}`))
	}
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}

	tests := []struct {
		name      string
		handler   http.HandlerFunc
		args      []string
		want      int
		wantPath  string
		wantInErr string
	}{
		{name: "ready", handler: ok, want: 0, wantPath: "/readyz"},
		{name: "liveness path", handler: ok, args: []string{"/healthz"}, want: 0, wantPath: "/healthz"},
		{name: "not ready", handler: unready, want: 1, wantPath: "/readyz", wantInErr: "503 Service Unavailable {\"nats\":\"connection closed\"}"},
		{name: "redirect is not healthy", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, want: 1, wantPath: "/readyz", wantInErr: "302"},
		{name: "timeout", handler: slow, args: []string{"-timeout", "100ms"}, want: 1, wantPath: "/readyz", wantInErr: "no answer in time"},
		{name: "two paths", handler: ok, args: []string{"/a", "/b"}, want: 2, wantInErr: "usage"},
		{name: "relative path", handler: ok, args: []string{"readyz"}, want: 2, wantInErr: "must start with /"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, paths := serve(t, tc.handler)
			var stderr bytes.Buffer
			got := run(tc.args, env(addr), &stderr)
			if got != tc.want {
				t.Fatalf("run(%q) = %d, want %d (stderr: %s)", tc.args, got, tc.want, stderr.String())
			}
			if tc.wantPath != "" && (len(*paths) != 1 || (*paths)[0] != tc.wantPath) {
				t.Errorf("server was asked for %q, want exactly [%s]", *paths, tc.wantPath)
			}
			if !strings.Contains(stderr.String(), tc.wantInErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr.String(), tc.wantInErr)
			}
		})
	}
}

func TestRunNothingListening(t *testing.T) {
	// Take a free port and release it, so nothing answers there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	var stderr bytes.Buffer
	if got := run(nil, env(":"+port), &stderr); got != 1 {
		t.Fatalf("run with nothing listening = %d, want 1", got)
	}
	if !strings.Contains(stderr.String(), "refused") {
		t.Errorf("stderr = %q, want a connection refused", stderr.String())
	}
}

func TestRunBadListenAddress(t *testing.T) {
	var stderr bytes.Buffer
	if got := run(nil, env("8080"), &stderr); got != 2 {
		t.Fatalf("run with TB_HTTP_ADDR=8080 = %d, want 2", got)
	}
	if !strings.Contains(stderr.String(), "TB_HTTP_ADDR") {
		t.Errorf("stderr = %q, want it to name TB_HTTP_ADDR", stderr.String())
	}
}
