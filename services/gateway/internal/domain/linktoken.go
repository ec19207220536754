package domain

import "time"

// Purpose says what an e-mailed link token is for.
type Purpose string

// Purposes of link tokens.
const (
	// PurposeVerifyEmail proves the owner reads the address given at
	// signup.
	PurposeVerifyEmail Purpose = "verify_email"
	// PurposeResetPassword lets the owner choose a new password.
	PurposeResetPassword Purpose = "reset_password"
)

// Lifetimes of link tokens: a verification link lasts two days (people
// sign up and read their mail later), a reset link an hour (it is as good
// as the password).
const (
	VerifyEmailTTL   = 48 * time.Hour
	ResetPasswordTTL = time.Hour
)

// LinkToken is a one-time token e-mailed as part of a link. Like refresh
// tokens it has 256 random bits and only its SHA-256 hash is stored; using
// it is recorded by inserting a mark keyed by the hash, which succeeds
// once.
type LinkToken struct {
	Hash      string
	UserID    string
	Purpose   Purpose
	CreatedAt time.Time
	ExpiresAt time.Time
}

// NewLinkToken returns a fresh token for purpose and its record.
func NewLinkToken(userID string, p Purpose, now time.Time) (string, *LinkToken, error) {
	tok, hash, err := NewRefreshToken()
	if err != nil {
		return "", nil, err
	}
	ttl := VerifyEmailTTL
	if p == PurposeResetPassword {
		ttl = ResetPasswordTTL
	}
	now = now.UTC()
	return tok, &LinkToken{Hash: hash, UserID: userID, Purpose: p, CreatedAt: now, ExpiresAt: now.Add(ttl)}, nil
}

// HashLinkToken is how a link token is stored and looked up.
func HashLinkToken(token string) string { return HashRefreshToken(token) }

// Usable reports whether the token may be used now for purpose p.
func (t *LinkToken) Usable(p Purpose, now time.Time) bool {
	return t.Purpose == p && now.Before(t.ExpiresAt)
}
