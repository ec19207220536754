// Package mongostore keeps accounts, sessions and sign-in counters in the
// identity database. Every write is a single-document operation (FerretDB v1
// and a standalone mongod have no multi-document transactions); events ride
// in the account document's outbox.
package mongostore

import (
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/outbox"
)

// Collections of the identity database.
const (
	UsersCollection    = "users"
	SessionsCollection = "sessions"
	TokensCollection   = "refresh_tokens"
	MarksCollection    = "session_marks"
	AttemptsCollection = "login_attempts"
	// LinksCollection holds the e-mailed link tokens (by hash) and the
	// marks of their use ("used:<hash>").
	LinksCollection = "link_tokens"
	// AuditCollection holds the admins' actions on accounts.
	AuditCollection = "account_audit"
)

type userDoc struct {
	ID           string     `bson:"_id"`
	Email        string     `bson:"email"`
	Name         string     `bson:"name"`
	Organization string     `bson:"organization,omitempty"`
	Role         string     `bson:"role"`
	Status       string     `bson:"status"`
	PasswordHash string     `bson:"passwordHash"`
	Version      int64      `bson:"version"`
	CreatedAt    time.Time  `bson:"createdAt"`
	UpdatedAt    time.Time  `bson:"updatedAt"`
	VerifiedAt   *time.Time `bson:"verifiedAt,omitempty"`
	VerifiedBy   string     `bson:"verifiedBy,omitempty"`
	// EmailVerifiedAt, DisabledAt and DisabledBy are written by Update as
	// plain values (zero time and empty string when unset).
	EmailVerifiedAt time.Time `bson:"emailVerifiedAt,omitempty"`
	DisabledAt      time.Time `bson:"disabledAt,omitempty"`
	DisabledBy      string    `bson:"disabledBy,omitempty"`
	// DeclinedAt, DeclinedBy and DeclineReason are written like them.
	DeclinedAt    time.Time      `bson:"declinedAt,omitempty"`
	DeclinedBy    string         `bson:"declinedBy,omitempty"`
	DeclineReason string         `bson:"declineReason,omitempty"`
	Outbox        []outbox.Event `bson:"outbox,omitempty"`
}

// tombstoneDoc replaces an erased account until its last event is
// published. It holds no personal data: the e-mail field, which the unique
// index needs in every document, is a placeholder made from the id.
type tombstoneDoc struct {
	ID        string         `bson:"_id"`
	Tombstone bool           `bson:"tombstone"`
	Email     string         `bson:"email"`
	Version   int64          `bson:"version"`
	Outbox    []outbox.Event `bson:"outbox"`
}

func toUserDoc(u *domain.User) userDoc {
	d := userDoc{
		ID: u.ID, Email: u.Email, Name: u.Name, Organization: u.Organization, Role: string(u.Role),
		Status: string(u.Status), PasswordHash: u.PasswordHash, Version: u.Version,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC(), VerifiedBy: u.VerifiedBy,
		EmailVerifiedAt: u.EmailVerifiedAt.UTC(), DisabledAt: u.DisabledAt.UTC(), DisabledBy: u.DisabledBy,
		DeclinedAt: u.DeclinedAt.UTC(), DeclinedBy: u.DeclinedBy, DeclineReason: u.DeclineReason,
	}
	if !u.VerifiedAt.IsZero() {
		t := u.VerifiedAt.UTC()
		d.VerifiedAt = &t
	}
	return d
}

func (d userDoc) user() *domain.User {
	u := &domain.User{
		ID: d.ID, Email: d.Email, Name: d.Name, Organization: d.Organization, Role: domain.Role(d.Role),
		Status: domain.Status(d.Status), PasswordHash: d.PasswordHash, Version: d.Version,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), VerifiedBy: d.VerifiedBy,
		DisabledBy: d.DisabledBy, DeclinedBy: d.DeclinedBy, DeclineReason: d.DeclineReason,
	}
	if !d.DeclinedAt.IsZero() {
		u.DeclinedAt = d.DeclinedAt.UTC()
	}
	if !d.EmailVerifiedAt.IsZero() {
		u.EmailVerifiedAt = d.EmailVerifiedAt.UTC()
	}
	if !d.DisabledAt.IsZero() {
		u.DisabledAt = d.DisabledAt.UTC()
	}
	if d.VerifiedAt != nil {
		u.VerifiedAt = d.VerifiedAt.UTC()
	}
	return u
}

type sessionDoc struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"userId"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

type tokenDoc struct {
	ID          string    `bson:"_id"` // SHA-256 of the token, hex
	SessionID   string    `bson:"sessionId"`
	UserID      string    `bson:"userId"`
	IssuedAt    time.Time `bson:"issuedAt"`
	UsableUntil time.Time `bson:"usableUntil"`
	ExpiresAt   time.Time `bson:"expiresAt"` // the session's end: kept until then
}

func (d tokenDoc) token() *domain.RefreshToken {
	return &domain.RefreshToken{Hash: d.ID, SessionID: d.SessionID, UserID: d.UserID,
		IssuedAt: d.IssuedAt.UTC(), UsableUntil: d.UsableUntil.UTC(), SessionEnd: d.ExpiresAt.UTC()}
}

// markDoc records, once, that a token was used ("used:<hash>") or that a
// session was revoked ("revoked:<session id>").
type markDoc struct {
	ID        string    `bson:"_id"`
	SessionID string    `bson:"sessionId"`
	UserID    string    `bson:"userId"`
	At        time.Time `bson:"at"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// attemptDoc is one sign-in attempt, counted by key and window.
type attemptDoc struct {
	ID        string    `bson:"_id"`
	Key       string    `bson:"key"`
	Window    int64     `bson:"window"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// linkDoc is an e-mailed link token, or the mark of its use.
type linkDoc struct {
	ID        string    `bson:"_id"` // SHA-256 of the token, hex; "used:<hash>" for a mark
	UserID    string    `bson:"userId"`
	Purpose   string    `bson:"purpose"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// auditDoc is one admin action on an account.
type auditDoc struct {
	ID     string    `bson:"_id"`
	Actor  string    `bson:"actor"`
	Target string    `bson:"target"`
	Action string    `bson:"action"`
	Reason string    `bson:"reason,omitempty"`
	At     time.Time `bson:"at"`
}
