package auth_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/web"
)

func TestJWKSPublicKeysSkipsWhatItCannotUse(t *testing.T) {
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(nil)
	good := auth.NewJWK("k1", pub)
	set := auth.JWKS{Keys: []auth.JWK{
		good,
		{Kty: "RSA", Kid: "rsa", X: good.X},
		{Kty: "OKP", Crv: "X25519", Kid: "x", X: good.X},
		{Kty: "OKP", Crv: "Ed25519", Kid: "", X: good.X},
		{Kty: "OKP", Crv: "Ed25519", Kid: "short", X: "AAAA"},
		{Kty: "OKP", Crv: "Ed25519", Kid: "bad", X: "!!"},
	}}
	got := set.PublicKeys()
	if len(got) != 1 || !got["k1"].Equal(pub) {
		t.Errorf("PublicKeys() = %v, want only k1", got)
	}
}

// jwksServer answers JWKS requests with the keys of issuers and counts them.
func jwksServer(t *testing.T, nc *nats.Conn, keys func() auth.JWKS) *atomic.Int32 {
	t.Helper()
	var n atomic.Int32
	sub, err := nc.Subscribe(auth.JWKSSubject, func(m *nats.Msg) {
		n.Add(1)
		b, _ := json.Marshal(keys())
		_ = m.Respond(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return &n
}

func jwksOf(issuers ...*authtest.Issuer) auth.JWKS {
	var s auth.JWKS
	for _, i := range issuers {
		s.Keys = append(s.Keys, auth.NewJWK(i.Kid, i.Keys()[i.Kid]))
	}
	return s
}

func TestRemoteKeys(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	bus := natstest.Bus(t, url, "test")
	client := natstest.Bus(t, url, "client")
	ctx := context.Background()

	a, b := authtest.New(t), authtest.New(t)
	var published atomic.Value
	published.Store(jwksOf(a))
	calls := jwksServer(t, bus.NC, func() auth.JWKS { return published.Load().(auth.JWKS) })

	rk := auth.NewRemoteKeys(client.NC)
	rk.MinRefresh = 300 * time.Millisecond
	rk.MaxAge = time.Hour
	v := auth.NewVerifier(rk)
	if _, err := v.Parse(ctx, a.Token(t, "u", auth.RoleApplicant)); err != nil {
		t.Fatalf("Parse(a's token) = %v", err)
	}
	if _, err := v.Parse(ctx, a.Token(t, "u", auth.RoleApplicant)); err != nil || calls.Load() != 1 {
		t.Errorf("second Parse = %v after %d fetches, want 1 fetch (cached)", err, calls.Load())
	}

	// A new key appears (a rotation): unknown kids refetch, but at most once
	// per MinRefresh, however many forged kids arrive.
	published.Store(jwksOf(a, b))
	for range 20 {
		_, _ = rk.Key(ctx, "forged-kid")
	}
	if n := calls.Load(); n > 2 {
		t.Errorf("20 unknown kids caused %d fetches, want at most 1 more", n)
	}
	time.Sleep(350 * time.Millisecond)
	if _, err := v.Parse(ctx, b.Token(t, "u", auth.RoleApplicant)); err != nil {
		t.Errorf("Parse(b's token) after MinRefresh = %v, want the new key fetched", err)
	}

	// A key that is no longer published stops being trusted once the cache
	// is older than MaxAge.
	rk2 := auth.NewRemoteKeys(client.NC)
	rk2.MinRefresh, rk2.MaxAge = 10*time.Millisecond, 50*time.Millisecond
	published.Store(jwksOf(a, b))
	if _, err := rk2.Key(ctx, a.Kid); err != nil {
		t.Fatal(err)
	}
	published.Store(jwksOf(b))
	time.Sleep(60 * time.Millisecond)
	if _, err := rk2.Key(ctx, a.Kid); !errors.Is(err, auth.ErrUnknownKey) {
		t.Errorf("Key(withdrawn key) after MaxAge = %v, want ErrUnknownKey", err)
	}
}

func TestKeysUnavailableIs503NotA401(t *testing.T) {
	t.Parallel()
	url := natstest.Start(t)
	client := natstest.Bus(t, url, "client") // nobody answers the JWKS subject
	iss := authtest.New(t)
	v := auth.NewVerifier(auth.NewRemoteKeys(client.NC))
	if _, err := v.Parse(context.Background(), iss.Token(t, "u", auth.RoleApplicant)); !errors.Is(err, auth.ErrKeysUnavailable) {
		t.Fatalf("Parse with no identity service = %v, want ErrKeysUnavailable", err)
	}

	e := web.New(web.Options{Log: slog.New(slog.DiscardHandler)})
	auth.Register(e.Group(""), v, []auth.Route{{Method: "GET", Path: "/me", Policy: auth.SignedIn,
		Handler: func(c echo.Context) error { return c.NoContent(http.StatusOK) }}})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/me", nil)
	req.Header.Set("Authorization", "Bearer "+iss.Token(t, "u", auth.RoleApplicant))
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /me while keys are unreachable = %d %s, want 503", rec.Code, rec.Body)
	}
}
