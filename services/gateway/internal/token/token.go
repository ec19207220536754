// Package token issues the platform's access tokens: compact JWS signed
// with EdDSA (Ed25519) by the key ring's signing key, with its kid in the
// header and the claims every verifier checks (iss, aud, sub, role, exp,
// iat, jti) plus the session id (sid) the token belongs to.
package token

import (
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/gateway/internal/keys"
	"github.com/talentbridge/platform/shared/auth"
)

// AccessTTL is the lifetime of an access token.
const AccessTTL = 15 * time.Minute

// Issuer signs access tokens.
type Issuer struct {
	ring *keys.Ring
	ttl  time.Duration
	now  func() time.Time
}

// NewIssuer signs with ring's signing key; ttl zero means AccessTTL and now
// nil means time.Now.
func NewIssuer(ring *keys.Ring, ttl time.Duration, now func() time.Time) *Issuer {
	if ttl <= 0 {
		ttl = AccessTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Issuer{ring: ring, ttl: ttl, now: now}
}

// TTL is the lifetime of the tokens this issuer makes.
func (i *Issuer) TTL() time.Duration { return i.ttl }

// Issue returns a signed access token for the user and when it expires.
func (i *Issuer) Issue(userID, role, sessionID string) (string, time.Time, error) {
	now := i.now().UTC().Truncate(time.Second)
	exp := now.Add(i.ttl)
	claims := &auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    auth.Issuer,
			Audience:  jwt.ClaimStrings{auth.Audience},
			Subject:   userID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        uuid.NewString(),
		},
		Role:    role,
		Session: sessionID,
	}
	k := i.ring.Signer()
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = k.ID
	s, err := t.SignedString(k.Private)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign access token: %w", err)
	}
	return s, exp, nil
}
