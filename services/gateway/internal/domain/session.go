package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// A Session is one sign-in. It is renewed with refresh tokens that replace
// each other: each token works once, and presenting one that was already
// used means a copy leaked, so the whole session is revoked. Only SHA-256
// hashes of the tokens are kept.
//
// A session and its tokens are never updated in place: a token is used by
// recording that fact as a new document keyed by the token, and a session is
// revoked the same way. Inserting a key that exists fails atomically on
// every store, so single use does not depend on conditional updates being
// atomic (FerretDB v1 on its own applies an update by reading and rewriting
// the document).
type Session struct {
	ID        string
	UserID    string
	CreatedAt time.Time
	// ExpiresAt is the end of the session whatever happens: the user signs
	// in again after it.
	ExpiresAt time.Time
	// Revoked is true once the session was signed out or a token of it was
	// used twice.
	Revoked bool
}

// RefreshToken is a stored refresh token, known by its hash.
type RefreshToken struct {
	Hash      string
	SessionID string
	UserID    string
	IssuedAt  time.Time
	// UsableUntil is when the token stops working if unused: IssuedAt plus
	// the idle lifetime, never past the session's end.
	UsableUntil time.Time
	// SessionEnd is kept with the token so that it (and the record of its
	// use) stays until the session ends: a reuse is detected all along.
	SessionEnd time.Time
}

// RefreshTokenBytes is the entropy of a refresh token.
const RefreshTokenBytes = 32

// NewRefreshToken returns a fresh opaque refresh token and its hash.
func NewRefreshToken() (token, hash string, err error) {
	b := make([]byte, RefreshTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashRefreshToken(token), nil
}

// HashRefreshToken is how a refresh token is stored and looked up.
func HashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Issue makes the session's next refresh token record, for the token
// hashed as hash, usable for idle unless the session ends first.
func (s *Session) Issue(hash string, now time.Time, idle time.Duration) *RefreshToken {
	until := now.Add(idle)
	if s.ExpiresAt.Before(until) {
		until = s.ExpiresAt
	}
	return &RefreshToken{Hash: hash, SessionID: s.ID, UserID: s.UserID, IssuedAt: now.UTC(),
		UsableUntil: until.UTC(), SessionEnd: s.ExpiresAt.UTC()}
}

// Active reports whether the session may still be renewed.
func (s *Session) Active(now time.Time) bool {
	return !s.Revoked && now.Before(s.ExpiresAt)
}

// Usable reports whether the token may be exchanged now (the session aside).
func (t *RefreshToken) Usable(now time.Time) bool { return now.Before(t.UsableUntil) }
