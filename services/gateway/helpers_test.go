package gateway_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/services/gateway/identitytest"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/platformtest"
)

type envOptions struct {
	config         func(*gateway.Config)
	trustedProxies []string
	corsOrigins    []string
	// natsURL and dbPrefix share another env's servers and databases.
	natsURL, dbPrefix string
	seed              []byte
	// mail adjusts the SMTP sender (a test server's certificate).
	mail []mail.SMTPOption
}

// env is a running gateway with its own NATS server and databases.
type env struct {
	URL     string
	Echo    *echo.Echo
	Service *gateway.Service
	Clock   *platformtest.Clock
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
	seed := o.seed
	if seed == nil {
		seed = make([]byte, 32)
		_, _ = rand.Read(seed)
	}
	cfg := gateway.Config{
		SigningKey: base64.StdEncoding.EncodeToString(seed),
		LoginLimit: 5, LoginAccountLimit: 5, LoginWindow: time.Minute,
		RefreshIdle: 14 * 24 * time.Hour, SessionMax: 30 * 24 * time.Hour,
	}
	if o.config != nil {
		o.config(&cfg)
	}
	clk := platformtest.NewClock(time.Now())
	pe := platformtest.Start(t, platformtest.Options{NATSURL: o.natsURL, DBPrefix: o.dbPrefix, BusName: "gateway",
		RemoteKeys: true, CORSOrigins: o.corsOrigins, TrustedProxies: o.trustedProxies},
		gateway.NewWithOptions(gateway.Options{Config: &cfg, Now: clk.Now, MailOptions: o.mail}))
	return &env{URL: pe.Server.URL, Echo: pe.Echo, Service: pe.Services[0].(*gateway.Service), Clock: clk, NC: pe.Deps.Bus.NC,
		DB: pe.Deps.DB(gateway.Database), Key: identitytest.KeyFromSeed(seed), Prefix: pe.Deps.DBPrefix, NATSURL: pe.NATSURL}
}

func withAdmin(c *gateway.Config) {
	c.AdminEmail, c.AdminPassword = adminEmail, adminPassword
}

// response is a finished request; Problem and JSON decode its body.
type response = platformtest.Response

// do sends a request; body is JSON-encoded unless it is a string or
// []byte; header holds extra header pairs.
func (e *env) do(t *testing.T, method, path, token string, body any, header ...string) response {
	t.Helper()
	return platformtest.Do(t, e.URL, method, path, token, body, header...)
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
	r.JSON(t, &u)
	return u
}

func (e *env) login(t *testing.T, email, password string) tokens {
	t.Helper()
	r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s = %d %s, want 200", email, r.Status, r.Body)
	}
	var tk tokens
	r.JSON(t, &tk)
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
	r.JSON(t, &u)
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
