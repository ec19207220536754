// Package auth verifies the platform's access tokens and decides, route by
// route, who may call what. Tokens are issued by the gateway (identity);
// every service verifies them with the gateway's public keys, fetched over
// NATS request–reply and cached.
package auth

import (
	"github.com/golang-jwt/jwt/v5"
)

// Roles.
const (
	RoleApplicant   = "applicant"
	RoleHost        = "host"
	RoleCoordinator = "coordinator"
	RoleAdmin       = "admin"
)

// Token parameters shared by the issuer and every verifier.
const (
	Issuer   = "talentbridge"
	Audience = "talentbridge-api"
	// Algorithm is the only signing method accepted.
	Algorithm = "EdDSA"
	// MaxTokenLength bounds what is parsed at all: a real token is a few
	// hundred bytes, so anything longer is refused before decoding.
	MaxTokenLength = 4096
)

// Cookie and header names for browser sessions.
const (
	AccessCookie  = "tb_access"
	RefreshCookie = "tb_refresh"
	CSRFCookie    = "tb_csrf"
	CSRFHeader    = "X-CSRF-Token"
	CSRFFormField = "csrf"
)

// Claims are the claims of an access token.
type Claims struct {
	jwt.RegisteredClaims
	Role string `json:"role"`
	// Session is the id of the sign-in (refresh token family) the token was
	// issued for; signing out ends it. Empty in tokens minted by tests.
	Session string `json:"sid,omitempty"`
}

// UserID is the account id (the token's subject).
func (c *Claims) UserID() string { return c.Subject }

// HasRole reports whether the caller has one of roles.
func (c *Claims) HasRole(roles ...string) bool {
	for _, r := range roles {
		if c.Role == r {
			return true
		}
	}
	return false
}
