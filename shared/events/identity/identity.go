// Package identity holds the payloads of the events the identity part of
// the gateway publishes on tb.identity.v1.*. The envelope's subject is the
// user id.
package identity

import "time"

// Source is the envelope source of these events.
const Source = "gateway"

// UserCreated is published when an account is made (signup or an admin
// creating a coordinator).
type UserCreated struct {
	UserID       string    `json:"userId"`
	Role         string    `json:"role"`
	Status       string    `json:"status"` // active | pending
	Name         string    `json:"name"`
	Organization string    `json:"organization,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
}

// UserVerified is published when a coordinator verifies a host.
type UserVerified struct {
	UserID     string    `json:"userId"`
	Role       string    `json:"role"`
	VerifiedBy string    `json:"verifiedBy"`
	VerifiedAt time.Time `json:"verifiedAt"`
}

// UserDeleted is published when an account is erased. Every service removes
// what it holds about the user.
type UserDeleted struct {
	UserID    string    `json:"userId"`
	Role      string    `json:"role"`
	DeletedAt time.Time `json:"deletedAt"`
}

// SessionRevoked is published when a sign-in ends before its access tokens
// expire: sign-out, a refresh token used twice, a refresh for an account
// that can no longer sign in. Every service refuses the access tokens of
// SessionID from then on; with SessionID empty, every token of UserID
// issued at or before RevokedAt. The account itself does not change, so
// the envelope's aggregate version is 0.
type SessionRevoked struct {
	UserID    string    `json:"userId"`
	SessionID string    `json:"sessionId,omitempty"`
	Reason    string    `json:"reason"` // logout | reuse | disabled
	RevokedAt time.Time `json:"revokedAt"`
}
