// Package identity holds the request and response bodies of the gateway's
// own routes (DESIGN.md §3 "Identity"): accounts, sign-in, tokens and the
// notification inbox.
package identity

import "time"

// SignupRequest is the body of POST /auth/signup. Role is applicant or
// host.
type SignupRequest struct {
	Email        string `json:"email"`
	Password     string `json:"password"`
	Role         string `json:"role"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
	// Language is the language (en, ja or hi) of the verification mail;
	// English when empty.
	Language string `json:"language,omitempty"`
}

// LoginRequest is the body of POST /auth/login.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// RefreshRequest is the body of POST /auth/refresh and, optionally, of POST
// /auth/logout.
type RefreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// CreateUserRequest is the body of POST /auth/users: an admin creating a
// coordinator.
type CreateUserRequest struct {
	Email        string `json:"email"`
	Password     string `json:"password"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
}

// UserResponse is an account as the API shows it (GET /auth/me, GET
// /auth/users, and the answers of sign-up, account creation and
// verification).
type UserResponse struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Organization string     `json:"organization,omitempty"`
	Role         string     `json:"role"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"createdAt"`
	VerifiedAt   *time.Time `json:"verifiedAt,omitempty"`
	// EmailVerifiedAt is when the owner confirmed the address through the
	// link mailed at signup (or a password reset); absent while
	// unconfirmed.
	EmailVerifiedAt *time.Time `json:"emailVerifiedAt,omitempty"`
	// DisabledAt is when an admin disabled the account (status disabled).
	DisabledAt *time.Time `json:"disabledAt,omitempty"`
	// DeclinedAt and DeclineReason say when and why a coordinator declined
	// to verify a host (status declined).
	DeclinedAt    *time.Time `json:"declinedAt,omitempty"`
	DeclineReason string     `json:"declineReason,omitempty"`
}

// DeclineHostRequest is the body of POST /auth/users/{id}/decline: why
// the coordinator does not verify the host (told to the host).
type DeclineHostRequest struct {
	Reason string `json:"reason"`
}

// VerifyEmailRequest is the body of POST /auth/email/verify: the token of
// the link mailed at signup.
type VerifyEmailRequest struct {
	Token string `json:"token"`
}

// ForgotPasswordRequest is the body of POST /auth/password/forgot.
type ForgotPasswordRequest struct {
	Email string `json:"email"`
}

// AcceptedResponse is the answer of POST /auth/password/forgot and of the
// routes that queue a mail: the same for every address.
type AcceptedResponse struct {
	Status string `json:"status"`
}

// ResetPasswordRequest is the body of POST /auth/password/reset: the token
// of the mailed link and the new password.
type ResetPasswordRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// ChangePasswordRequest is the body of POST /auth/password/change.
type ChangePasswordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// DisableUserRequest is the optional body of POST /auth/users/{id}/disable.
type DisableUserRequest struct {
	Reason string `json:"reason,omitempty"`
}

// AuditEntry is one admin action on an account (GET /auth/audit): only
// ids, the action (disabled, enabled, password_reset_sent), a reason and
// the time.
type AuditEntry struct {
	ID     string    `json:"id"`
	Actor  string    `json:"actor"`
	Target string    `json:"target"`
	Action string    `json:"action"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// TokenResponse is what sign-in and refresh return.
type TokenResponse struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	TokenType    string `json:"tokenType"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int `json:"expiresIn"`
	// RefreshExpiresIn is how long the refresh token lasts if unused, in
	// seconds.
	RefreshExpiresIn int `json:"refreshExpiresIn"`
}

// Notification is one entry of a user's inbox. Code and Params let a page
// word it in the reader's language; Text is the English wording.
type Notification struct {
	ID        string            `json:"id"`
	Code      string            `json:"code"`
	Params    map[string]string `json:"params,omitempty"`
	Text      string            `json:"text"`
	Link      string            `json:"link,omitempty"`
	CreatedAt time.Time         `json:"createdAt"`
	Read      bool              `json:"read"`
}

// NotificationPage is the answer of GET /notifications/me: a page of the
// inbox, newest first, and how many of all its entries are unread.
type NotificationPage struct {
	Items    []Notification `json:"items"`
	Page     int            `json:"page"`
	PageSize int            `json:"pageSize"`
	Total    int64          `json:"total"`
	Unread   int64          `json:"unread"`
}

// NotificationSettings is the answer of GET /notifications/settings and the
// body of PUT /notifications/settings: the language of the caller's
// e-mails and, per kind of notification, whether it also comes by e-mail.
// Kinds: account, offers, results, stages, interviews, messages. A PUT may
// leave kinds out (they keep their setting) and may leave Language empty
// (it keeps its value).
type NotificationSettings struct {
	Language string          `json:"language"`
	Email    map[string]bool `json:"email"`
	// EmailEnabled says whether the platform sends e-mail at all
	// (TB_SMTP_ADDR is set); ignored in a PUT.
	EmailEnabled bool `json:"emailEnabled"`
}
