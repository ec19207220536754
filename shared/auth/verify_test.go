package auth_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/auth/authtest"
)

func claims(mod func(*auth.Claims)) *auth.Claims {
	now := time.Now()
	c := &auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: auth.Issuer, Audience: jwt.ClaimStrings{auth.Audience}, Subject: "user-1",
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(15 * time.Minute)), ID: "j1",
		},
		Role: auth.RoleApplicant,
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func TestParse(t *testing.T) {
	t.Parallel()
	iss := authtest.New(t)
	v := iss.Verifier()
	ctx := context.Background()

	good, err := v.Parse(ctx, iss.Token(t, "user-1", auth.RoleHost))
	if err != nil || good.UserID() != "user-1" || good.Role != auth.RoleHost {
		t.Fatalf("Parse(valid) = %+v, %v", good, err)
	}

	pub := iss.Keys()[iss.Kid]
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil))
	hs.Header["kid"] = iss.Kid
	hsTok, _ := hs.SignedString([]byte(pub))
	none := jwt.NewWithClaims(jwt.SigningMethodNone, claims(nil))
	none.Header["kid"] = iss.Kid
	noneTok, _ := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	other := authtest.New(t)
	unknownKid := other.Sign(t, claims(nil))
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	forged := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(nil))
	forged.Header["kid"] = iss.Kid
	forgedTok, _ := forged.SignedString(otherPriv)
	valid := iss.Token(t, "user-1", auth.RoleApplicant)
	parts := strings.Split(valid, ".")
	altered := parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2]

	for _, tc := range []struct{ name, token string }{
		{"alg none", noneTok},
		{"HS256 with the public key as secret", hsTok},
		{"expired", iss.Sign(t, claims(func(c *auth.Claims) {
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Minute))
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
		}))},
		{"no exp", iss.Sign(t, claims(func(c *auth.Claims) { c.ExpiresAt = nil }))},
		{"issued in the future", iss.Sign(t, claims(func(c *auth.Claims) { c.IssuedAt = jwt.NewNumericDate(time.Now().Add(time.Hour)) }))},
		{"wrong audience", iss.Sign(t, claims(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other"} }))},
		{"wrong issuer", iss.Sign(t, claims(func(c *auth.Claims) { c.Issuer = "other" }))},
		{"no subject", iss.Sign(t, claims(func(c *auth.Claims) { c.Subject = "" }))},
		{"no role", iss.Sign(t, claims(func(c *auth.Claims) { c.Role = "" }))},
		{"unknown kid", unknownKid},
		{"another key under a known kid", forgedTok},
		{"payload altered", altered},
		{"too long", valid + strings.Repeat("A", auth.MaxTokenLength)},
		{"dots only", strings.Repeat(".", 1<<20)},
		{"two parts", parts[0] + "." + parts[1]},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := v.Parse(ctx, tc.token); !errors.Is(err, auth.ErrInvalidToken) {
				t.Errorf("Parse = %+v, %v; want ErrInvalidToken", c, err)
			}
		})
	}
	// Expired less than the leeway ago still passes: clocks differ a little.
	skewed := iss.Sign(t, claims(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-auth.Leeway / 2)) }))
	if _, err := v.Parse(ctx, skewed); err != nil {
		t.Errorf("Parse(expired within leeway) = %v, want accepted", err)
	}
}

func TestClaimsCarryTheSession(t *testing.T) {
	t.Parallel()
	iss := authtest.New(t)
	tok := iss.Sign(t, claims(func(c *auth.Claims) { c.Session = "s-1" }))
	c, err := iss.Verifier().Parse(context.Background(), tok)
	if err != nil || c.Session != "s-1" {
		t.Errorf("Parse(token with sid) = %+v, %v; want Session s-1", c, err)
	}
	if !c.HasRole(auth.RoleHost, auth.RoleApplicant) || c.HasRole(auth.RoleAdmin) {
		t.Errorf("HasRole is wrong for %q", c.Role)
	}
}
