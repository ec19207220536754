// Package app holds the identity use cases: signing up, signing in,
// refreshing and ending sessions, verifying hosts, creating coordinators and
// erasing accounts. It declares the ports it needs; adapters implement them.
package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// UserStore keeps accounts. Events passed with a change are stored in the
// same single-document write (the outbox) and published later.
type UserStore interface {
	// Create stores a new account; domain.ErrEmailTaken if the address is
	// in use.
	Create(ctx context.Context, u *domain.User, evs []events.Envelope) error
	// Get returns an account; domain.ErrUserNotFound if there is none.
	Get(ctx context.Context, id string) (*domain.User, error)
	// GetByEmail finds an account by its normalised address.
	GetByEmail(ctx context.Context, email string) (*domain.User, error)
	// Update loads the account, lets change modify it and return the events
	// the change causes, and stores both only if nobody changed the account
	// meanwhile (domain.ErrConflict otherwise). A change that returns
	// domain.ErrUnchanged writes nothing.
	Update(ctx context.Context, id string, change func(*domain.User) ([]events.Envelope, error)) (*domain.User, error)
	// Erase replaces the account by a tombstone that holds only ev, which
	// the relay publishes before deleting the tombstone.
	Erase(ctx context.Context, id string, version int64, ev events.Envelope) error
	// Announce stores evs in the account's outbox without changing the
	// account (a session of it ended, say). An account that no longer
	// exists is not an error: its erasure event says more.
	Announce(ctx context.Context, id string, evs []events.Envelope) error
	// List returns a page of accounts matching f and the total count.
	List(ctx context.Context, f UserFilter) ([]*domain.User, int64, error)
}

// UserFilter selects accounts to list.
type UserFilter struct {
	Role   domain.Role
	Status domain.Status
	// Page counts from 1.
	Page, PageSize int
}

// SessionStore keeps sessions and their refresh tokens. Nothing in it is
// updated in place: using a token and revoking a session are recorded by
// inserting a document under a key that can exist only once.
type SessionStore interface {
	// CreateSession stores a new session and its first token.
	CreateSession(ctx context.Context, s *domain.Session, first *domain.RefreshToken) error
	// AddToken stores the next token of a session.
	AddToken(ctx context.Context, t *domain.RefreshToken) error
	// Token finds a token by its hash; domain.ErrSessionInvalid if unknown.
	Token(ctx context.Context, hash string) (*domain.RefreshToken, error)
	// Session finds a session, with whether it is revoked;
	// domain.ErrSessionInvalid if unknown.
	Session(ctx context.Context, id string) (*domain.Session, error)
	// MarkUsed records that t was exchanged. It reports false when it was
	// already: of any number of concurrent calls for one token, exactly
	// one gets true.
	MarkUsed(ctx context.Context, t *domain.RefreshToken, now time.Time) (bool, error)
	// Revoke ends a session; revoking it again is not an error.
	Revoke(ctx context.Context, s *domain.Session, now time.Time) error
	// DeleteUser removes every session, token and record of a user.
	DeleteUser(ctx context.Context, userID string) error
	// UserSessions returns the sessions of a user that have not ended.
	UserSessions(ctx context.Context, userID string, now time.Time) ([]*domain.Session, error)
}

// LinkTokenStore keeps the one-time tokens of e-mailed links, by hash.
// Like refresh tokens they are never updated: a use is a mark inserted
// under a key that can exist only once.
type LinkTokenStore interface {
	SaveLinkToken(ctx context.Context, t *domain.LinkToken) error
	// LinkToken finds a token by hash; domain.ErrTokenInvalid if unknown.
	LinkToken(ctx context.Context, hash string) (*domain.LinkToken, error)
	// UseLinkToken records the use of t; false when it was used before (of
	// concurrent uses exactly one gets true).
	UseLinkToken(ctx context.Context, t *domain.LinkToken, now time.Time) (bool, error)
	// DropLinkTokens deletes a user's tokens of purpose p (all purposes
	// when p is empty), used or not.
	DropLinkTokens(ctx context.Context, userID string, p domain.Purpose) error
}

// AccountMail is an e-mail about the account itself (a verification or
// reset link). It is sent whatever the user chose for notifications.
type AccountMail struct {
	// Key identifies the mail for the once-per-key queue (a token's hash).
	Key    string
	UserID string
	Email  string
	Name   string
	// Lang is the language to write in; empty means the user's chosen one.
	Lang string
	// Code names the text: "account.verify_email" or
	// "account.reset_password".
	Code string
	// Path is the site path of the link, token included.
	Path string
}

// AccountMailer sends account mails; Enabled is false when the platform
// has no mail server.
type AccountMailer interface {
	SendAccountMail(ctx context.Context, m AccountMail) error
	Enabled() bool
}

// Limiter counts attempts per key in fixed windows.
type Limiter interface {
	// Hit counts one attempt for key in the window starting at start and
	// returns the attempts counted in that window so far, this one
	// included. Under concurrency a count may include attempts made at the
	// same moment, but the k-th attempt never sees fewer than k.
	Hit(ctx context.Context, key string, start time.Time, window time.Duration) (int, error)
	// Count returns the attempts counted for key in the window starting at
	// start, without counting one.
	Count(ctx context.Context, key string, start time.Time) (int, error)
	// Forget takes back one attempt counted for key in the window starting
	// at start: one that turned out not to be what the limit is about.
	Forget(ctx context.Context, key string, start time.Time) error
}

// Hasher hashes and checks passwords.
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
	Verify(ctx context.Context, pw, phc string) (bool, error)
	NeedsRehash(phc string) bool
}

// TokenIssuer signs access tokens.
type TokenIssuer interface {
	Issue(userID, role, sessionID string) (string, time.Time, error)
}
