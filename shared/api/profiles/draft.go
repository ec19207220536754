package profiles

import "time"

// DraftLifetime is how long a draft is kept after its last change; an
// older one is gone (never returned, and swept away).
const DraftLifetime = 30 * 24 * time.Hour

// DraftRequest is a profile being written, as far as its author got:
// PUT /profiles/me/draft. Nothing in Profile is checked but its shape —
// a draft may be incomplete or wrong; POST /profiles and PUT /profiles/me
// check it when it is submitted.
type DraftRequest struct {
	// Form names the form the answers belong to (the wizard, or one
	// section of the profile page): lower-case letters and "_", at most
	// 32.
	Form string `json:"form"`
	// Profile holds the answers so far.
	Profile ProfileRequest `json:"profile"`
}

// Draft is the caller's stored draft (GET /profiles/me/draft).
type Draft struct {
	DraftRequest
	UpdatedAt time.Time `json:"updatedAt"`
	// ExpiresAt is when the draft is erased unless changed again.
	ExpiresAt time.Time `json:"expiresAt"`
}
