package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

// The profiles are served on the loopback address given, and nowhere else.
func TestDebugServesProfilesOnLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := serveDebug(ctx, addr, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
		t.Errorf("GET /debug/pprof/ = %d %.80q, want 200 and the profile index", res.StatusCode, body)
	}
	for _, bad := range []string{"0.0.0.0:6060", "192.0.2.1:6060", "localhost:6060", "6060"} {
		if err := serveDebug(ctx, bad, slog.Default()); err == nil {
			t.Errorf("serveDebug(%q) = nil, want a refusal: not a loopback IP", bad)
		}
	}
}
