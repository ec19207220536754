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

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/fielderr"
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
	// Echo serves Server; Services are the started services, in the order
	// of their constructors.
	Echo     *echo.Echo
	Services []platform.Service
	// NATSURL is the server's, for another Env to share (Options.NATSURL).
	NATSURL string
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
	// BusName is the service name of the bus the services share; consumers
	// that name no service of their own are "<BusName>-<handler>".
	// "test" when empty.
	BusName string
	// RemoteKeys verifies access tokens with the keys served over NATS
	// (auth.JWKSSubject), as a deployed service does, instead of the test
	// issuer's; for testing the service that serves them.
	RemoteKeys bool
	// KeepRevokedTokens leaves out the revocation set (platform.Run always
	// has one), for tests of what a service refuses by itself, such as a
	// read model's erased accounts, that revocation would otherwise answer
	// first with 401.
	KeepRevokedTokens bool
	// CORSOrigins and TrustedProxies configure the platform's Echo (see
	// web.Options).
	CORSOrigins, TrustedProxies []string
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
	busName := o.BusName
	if busName == "" {
		busName = "test"
	}
	bus := natstest.Bus(t, url, busName)
	verifier := iss.Verifier()
	if o.RemoteKeys {
		verifier = auth.NewVerifier(auth.NewRemoteKeys(bus.NC))
	}
	if !o.KeepRevokedTokens {
		// As platform.Run: revocations from the IDENTITY stream.
		revoked := auth.NewRevocations()
		stop, err := auth.Follow(context.Background(), bus.JS, revoked, log, platform.RevocationCatchUp)
		if err != nil {
			t.Fatalf("follow revocations: %v", err)
		}
		t.Cleanup(stop)
		verifier = verifier.WithRevocations(revoked)
	}
	d := platform.Deps{
		Log:      log,
		Mongo:    mongotest.Client(t),
		DBPrefix: prefix,
		Bus:      bus,
		Auth:     verifier,
	}
	e := web.New(web.Options{Log: log, Mappers: o.Mappers, CORSOrigins: o.CORSOrigins, TrustedProxies: o.TrustedProxies})
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
	srv := httptest.NewUnstartedServer(e)
	// As web.Serve: big enough that an oversized token reaches the verifier.
	srv.Config.MaxHeaderBytes = 2 << 20
	srv.Start()
	t.Cleanup(srv.Close)
	return &Env{Deps: d, Server: srv, Issuer: iss, Echo: e, Services: built, NATSURL: url}
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
	DecodeJSON(t, r.Body, v)
}

// Problem decodes an RFC 9457 body, failing the test unless the response
// is application/problem+json or when a field error lacks a known code.
func (r Response) Problem(t testing.TB) web.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json (body %s)", ct, r.Body)
	}
	var p web.Problem
	r.JSON(t, &p)
	for _, fe := range p.Errors {
		if !fielderr.Known(fe.Code) {
			t.Errorf("field error %+v has no known code (shared/fielderr)", fe)
		}
	}
	return p
}

// DecodeJSON decodes raw into v, failing the test on error.
func DecodeJSON(t testing.TB, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
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
