package gateway_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/gateway/identitytest"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/web"
)

// clock is a settable clock for sign-in windows.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type envOptions struct {
	config         func(*gateway.Config)
	trustedProxies []string
	corsOrigins    []string
	// natsURL and dbPrefix share another env's servers and databases.
	natsURL, dbPrefix string
	seed              []byte
}

// env is a running gateway with its own NATS server and databases.
type env struct {
	URL     string
	Echo    *echo.Echo
	Service *gateway.Service
	Clock   *clock
	NC      *nats.Conn
	DB      *mongo.Database
	Key     identitytest.Key
	Prefix  string
	NATSURL string
}

const (
	adminEmail    = "root@talentbridge.example"
	adminPassword = "a long admin passphrase"
	goodPassword  = "violet kettle drums at noon"
)

func start(t *testing.T, o envOptions) *env {
	t.Helper()
	url := o.natsURL
	if url == "" {
		url = natstest.Start(t)
	}
	prefix := o.dbPrefix
	if prefix == "" {
		prefix = mongotest.Prefix(t)
	}
	var logOut io.Writer = io.Discard
	if os.Getenv("TB_TEST_LOG") != "" {
		logOut = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelDebug}))
	seed := o.seed
	if seed == nil {
		seed = make([]byte, 32)
		_, _ = rand.Read(seed)
	}
	cfg := gateway.Config{
		SigningKey: base64.StdEncoding.EncodeToString(seed),
		LoginLimit: 5, LoginWindow: time.Minute,
		RefreshIdle: 14 * 24 * time.Hour, SessionMax: 30 * 24 * time.Hour,
	}
	if o.config != nil {
		o.config(&cfg)
	}
	clk := &clock{t: time.Now()}
	bus := natstest.Bus(t, url, "gateway")
	mc := mongotest.Client(t)
	d := platform.Deps{Log: log, Mongo: mc, DBPrefix: prefix, Bus: bus,
		Auth: auth.NewVerifier(auth.NewRemoteKeys(bus.NC))}
	e := web.New(web.Options{Log: log, CORSOrigins: o.corsOrigins, TrustedProxies: o.trustedProxies})
	web.Health(e)
	api := e.Group(platform.APIPrefix)
	ctx := context.Background()
	s, err := gateway.NewWithOptions(gateway.Options{Config: &cfg, Now: clk.Now})(ctx, d)
	if err != nil {
		t.Fatalf("build gateway: %v", err)
	}
	s.Routes(e, api)
	platform.MapErrors(e, log, nil, s)
	if err := s.Start(ctx); err != nil {
		t.Fatalf("start gateway: %v", err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(sctx)
	})
	srv := httptest.NewUnstartedServer(e)
	// As web.Serve: big enough that an oversized token reaches the verifier.
	srv.Config.MaxHeaderBytes = 2 << 20
	srv.Start()
	t.Cleanup(srv.Close)
	return &env{URL: srv.URL, Echo: e, Service: s.(*gateway.Service), Clock: clk, NC: bus.NC,
		DB: d.DB(gateway.Database), Key: identitytest.KeyFromSeed(seed), Prefix: prefix, NATSURL: url}
}

func withAdmin(c *gateway.Config) {
	c.AdminEmail, c.AdminPassword = adminEmail, adminPassword
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problem decodes an RFC 9457 body, failing unless the response is one.
func (r response) problem(t *testing.T) web.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json (body %s)", ct, r.Body)
	}
	var p web.Problem
	r.json(t, &p)
	return p
}

// do sends a request; body is JSON-encoded unless it is a string or
// []byte; header holds extra header pairs.
func (e *env) do(t *testing.T, method, path, token string, body any, header ...string) response {
	t.Helper()
	r := platformtest.Do(t, e.URL, method, path, token, body, header...)
	return response{Status: r.Status, Header: r.Header, Body: r.Body}
}

type user struct {
	ID           string `json:"id"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	Role         string `json:"role"`
	Status       string `json:"status"`
}

type tokens struct {
	AccessToken      string `json:"accessToken"`
	RefreshToken     string `json:"refreshToken"`
	TokenType        string `json:"tokenType"`
	ExpiresIn        int    `json:"expiresIn"`
	RefreshExpiresIn int    `json:"refreshExpiresIn"`
}

func (e *env) signup(t *testing.T, email, role string) user {
	t.Helper()
	body := map[string]string{"email": email, "password": goodPassword, "role": role, "name": "Test " + role}
	if role == "host" {
		body["organization"] = "Tohoku University"
	}
	r := e.do(t, "POST", "/api/v1/auth/signup", "", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("signup %s as %s = %d %s, want 201", email, role, r.Status, r.Body)
	}
	var u user
	r.json(t, &u)
	return u
}

func (e *env) login(t *testing.T, email, password string) tokens {
	t.Helper()
	r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s = %d %s, want 200", email, r.Status, r.Body)
	}
	var tk tokens
	r.json(t, &tk)
	return tk
}

// coordinator has the admin (from the environment) create a coordinator
// and signs it in.
func (e *env) coordinator(t *testing.T, email string) (user, tokens) {
	t.Helper()
	admin := e.login(t, adminEmail, adminPassword)
	r := e.do(t, "POST", "/api/v1/auth/users", admin.AccessToken,
		map[string]string{"email": email, "password": goodPassword, "name": "Coordinator"})
	if r.Status != http.StatusCreated {
		t.Fatalf("admin creates coordinator = %d %s, want 201", r.Status, r.Body)
	}
	var u user
	r.json(t, &u)
	return u, e.login(t, email, goodPassword)
}

// identityEvents collects the identity events published from now on.
func (e *env) identityEvents(t *testing.T) *nats.Subscription {
	t.Helper()
	sub, err := e.NC.SubscribeSync("tb.identity.v1.>")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.NC.Flush(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	return sub
}

// waitEvent waits for the event of type typ about subject on sub,
// skipping others.
func waitEvent(t *testing.T, sub *nats.Subscription, typ, subject string) events.Envelope {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := sub.NextMsg(time.Until(deadline))
		if err != nil {
			t.Fatalf("no %s event for %s: %v", typ, subject, err)
		}
		ev, err := events.Parse(m.Data)
		if err != nil {
			t.Fatalf("parse event %s: %v", m.Data, err)
		}
		if ev.Type != m.Subject {
			t.Errorf("event type %q published on %q", ev.Type, m.Subject)
		}
		if ev.Type == typ && ev.Subject == subject {
			return ev
		}
	}
}

// noEvent checks that no event of type typ about subject is published on
// sub for a while.
func noEvent(t *testing.T, sub *nats.Subscription, typ, subject string, wait time.Duration) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		m, err := sub.NextMsg(time.Until(deadline))
		if err != nil {
			return
		}
		if ev, err := events.Parse(m.Data); err == nil && ev.Type == typ && ev.Subject == subject {
			t.Errorf("unexpected event %s: %s", m.Subject, m.Data)
		}
	}
}

func uniqueEmail(t *testing.T, name string) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%x@example.org", name, b)
}
