// Package platformtest runs services in a test the way standalone mode runs
// them: real embedded NATS and FerretDB, the platform's Echo, and real
// signed tokens from a test issuer. It is the HTTP-level counterpart of
// httptest.
package platformtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Env is a running set of services.
type Env struct {
	Deps   platform.Deps
	Server *httptest.Server
	Issuer *authtest.Issuer
}

// Options tunes Start.
type Options struct {
	// NATSURL reuses a server instead of starting one.
	NATSURL string
	// DBPrefix reuses another Env's databases (Env.Deps.DBPrefix), to run
	// two instances of a service against one store.
	DBPrefix string
	// Mappers come before the services' own (see platform.Mapped).
	Mappers []web.Mapper
}

// Start builds and starts the services with fresh databases and a fresh
// NATS server; everything stops when the test ends. Set TB_TEST_LOG=1 to
// see the services' logs.
func Start(t testing.TB, o Options, ctors ...platform.Constructor) *Env {
	t.Helper()
	url := o.NATSURL
	if url == "" {
		url = natstest.Start(t)
	}
	var logOut io.Writer = io.Discard
	if os.Getenv("TB_TEST_LOG") != "" {
		logOut = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
	iss := authtest.New(t)
	prefix := o.DBPrefix
	if prefix == "" {
		prefix = mongotest.Prefix(t)
	}
	d := platform.Deps{
		Log:      log,
		Mongo:    mongotest.Client(t),
		DBPrefix: prefix,
		Bus:      natstest.Bus(t, url, "test"),
		Auth:     iss.Verifier(),
	}
	e := web.New(web.Options{Log: log, Mappers: o.Mappers})
	web.Health(e)
	api := e.Group(platform.APIPrefix)
	ctx := context.Background()
	var built []platform.Service
	for _, build := range ctors {
		s, err := build(ctx, d)
		if err != nil {
			t.Fatalf("build service: %v", err)
		}
		built = append(built, s)
		s.Routes(e, api)
		if err := s.Start(ctx); err != nil {
			t.Fatalf("start service: %v", err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = s.Stop(sctx)
		})
	}
	platform.MapErrors(e, log, o.Mappers, built...)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &Env{Deps: d, Server: srv, Issuer: iss}
}

// Response is a finished request.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Do sends a request with an optional bearer token and JSON body (a string
// or []byte is sent as is).
func (e *Env) Do(t testing.TB, method, path, token string, body any) Response {
	t.Helper()
	return Do(t, e.Server.URL, method, path, token, body)
}

// Do sends a request to base+path. header holds extra header pairs:
// name, value, name, value…
func Do(t testing.TB, base, method, path, token string, body any, header ...string) Response {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	case []byte:
		r = bytes.NewBuffer(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewBuffer(raw)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// Eventually retries check until it returns nil or timeout passes, for
// effects that arrive by events.
func Eventually(t testing.TB, timeout time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %v", timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
