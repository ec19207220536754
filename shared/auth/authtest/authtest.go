// Package authtest mints real signed access tokens for tests of services
// other than the issuer, with a key pair made for the test.
package authtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/talentbridge/platform/shared/auth"
)

// Issuer signs tokens with a test key.
type Issuer struct {
	Kid  string
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

// New makes an issuer with a fresh key.
func New(t testing.TB) *Issuer {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &Issuer{Kid: "test-" + uuid.NewString()[:8], priv: priv, pub: pub}
}

// Keys is the key set that verifies this issuer's tokens.
func (i *Issuer) Keys() auth.StaticKeys { return auth.StaticKeys{i.Kid: i.pub} }

// Verifier trusts this issuer.
func (i *Issuer) Verifier() *auth.Verifier { return auth.NewVerifier(i.Keys()) }

// Token returns a valid 15-minute access token for user with role.
func (i *Issuer) Token(t testing.TB, user, role string) string {
	t.Helper()
	now := time.Now()
	return i.Sign(t, &auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: auth.Issuer, Audience: jwt.ClaimStrings{auth.Audience}, Subject: user,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(15 * time.Minute)),
			ID: uuid.NewString(),
		},
		Role: role,
	})
}

// Sign signs arbitrary claims with the issuer's key and kid, for tests of
// what verifiers refuse.
func (i *Issuer) Sign(t testing.TB, c jwt.Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = i.Kid
	s, err := tok.SignedString(i.priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
