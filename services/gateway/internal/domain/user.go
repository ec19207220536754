// Package domain holds the identity rules: what an account is, which roles
// and statuses exist, how an e-mail address is normalised and which changes
// of status are allowed. It imports no web, database or messaging code.
package domain

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/textnorm"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Role is what an account may do on the platform.
type Role string

// Roles; the strings are those of shared/auth.
const (
	RoleApplicant   Role = "applicant"
	RoleHost        Role = "host"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleApplicant, RoleHost, RoleCoordinator, RoleAdmin:
		return true
	}
	return false
}

// SelfService reports whether people may sign up with this role themselves.
// Coordinators are created by an admin, and the first admin comes from the
// environment.
func (r Role) SelfService() bool { return r == RoleApplicant || r == RoleHost }

// Status is where an account stands.
type Status string

// Statuses.
const (
	// StatusActive accounts may do everything their role allows.
	StatusActive Status = "active"
	// StatusPending is a host waiting for a coordinator to verify it. It may
	// sign in and see its own account, but the programs service refuses it
	// programs until it is verified.
	StatusPending Status = "pending"
	// StatusDisabled accounts cannot sign in.
	StatusDisabled Status = "disabled"
	// StatusDeclined is a host a coordinator declined to verify, with a
	// reason the host is told. It may still sign in, read the reason and
	// keep its drafts; a coordinator may verify it later after all.
	StatusDeclined Status = "declined"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusActive || s == StatusPending || s == StatusDisabled || s == StatusDeclined
}

// Limits on the free-text fields of an account.
const (
	MaxEmailLength = 254
	MaxNameLength  = 200
	// MaxReasonLength bounds the reason a coordinator gives for declining
	// a host.
	MaxReasonLength = 1000
)

// User is an account. Its fields are read freely; changes go through the
// methods so that the rules hold.
type User struct {
	ID           string
	Email        string // normalised: trimmed and lower-cased
	Name         string
	Organization string
	Role         Role
	Status       Status
	// PasswordHash is a PHC string ($argon2id$...).
	PasswordHash string
	// Version counts the changes of the account; events carry it as their
	// aggregateversion.
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	VerifiedAt time.Time
	VerifiedBy string
	// EmailVerifiedAt is when the owner proved the address is theirs (the
	// link mailed at signup, or a password reset through it); zero while
	// unverified.
	EmailVerifiedAt time.Time
	// DisabledAt and DisabledBy say when and by which admin the account
	// was disabled; zero unless Status is StatusDisabled.
	DisabledAt time.Time
	DisabledBy string
	// DeclinedAt, DeclinedBy and DeclineReason say when, by which
	// coordinator and why a host was declined; zero unless Status is
	// StatusDeclined.
	DeclinedAt    time.Time
	DeclinedBy    string
	DeclineReason string
}

// NewUserInput is what an account is made from.
type NewUserInput struct {
	ID           string
	Email        string
	Name         string
	Organization string
	Role         Role
	PasswordHash string
	Now          time.Time
}

// NewUser checks the input and returns a version 1 account: hosts start
// pending, everyone else active.
func NewUser(in NewUserInput) (*User, error) {
	var errs []error
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		errs = append(errs, err)
	}
	name, err := cleanText("name", in.Name, true)
	if err != nil {
		errs = append(errs, err)
	}
	org, err := cleanText("organization", in.Organization, in.Role == RoleHost)
	if err != nil {
		errs = append(errs, err)
	}
	if !in.Role.Valid() {
		errs = append(errs, Invalid(fielderr.NewOneOf("role", []string{string(RoleApplicant), string(RoleHost), string(RoleCoordinator), string(RoleAdmin)}).Because("must be applicant, host, coordinator or admin")))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if in.ID == "" || in.PasswordHash == "" || in.Now.IsZero() {
		return nil, errors.New("new user: id, password hash and time are required")
	}
	status := StatusActive
	if in.Role == RoleHost {
		status = StatusPending
	}
	now := in.Now.UTC()
	return &User{
		ID: in.ID, Email: email, Name: name, Organization: org, Role: in.Role, Status: status,
		PasswordHash: in.PasswordHash, Version: 1, CreatedAt: now, UpdatedAt: now,
	}, nil
}

// Verify marks a pending host as verified by a coordinator. It reports
// whether anything changed: verifying an active host again is allowed and
// changes nothing.
func (u *User) Verify(by string, now time.Time) (bool, error) {
	if u.Role != RoleHost {
		return false, ErrNotAHost
	}
	switch u.Status {
	case StatusActive:
		return false, nil
	case StatusDisabled:
		return false, ErrAccountDisabled
	}
	u.Status = StatusActive
	u.VerifiedBy = by
	u.VerifiedAt = now.UTC()
	u.DeclinedAt, u.DeclinedBy, u.DeclineReason = time.Time{}, "", ""
	u.touch(now)
	return true, nil
}

// Decline records that a coordinator declined to verify a pending host,
// with the reason the host is told. It reports whether anything changed:
// declining again with the same reason changes nothing. A verified host
// cannot be declined (ErrHostVerified), nor a disabled account.
func (u *User) Decline(by, reason string, now time.Time) (bool, error) {
	if u.Role != RoleHost {
		return false, ErrNotAHost
	}
	reason, err := cleanReason("reason", reason)
	if err != nil {
		return false, err
	}
	switch u.Status {
	case StatusActive:
		return false, ErrHostVerified
	case StatusDisabled:
		return false, ErrAccountDisabled
	case StatusDeclined:
		if u.DeclineReason == reason {
			return false, nil
		}
	}
	u.Status = StatusDeclined
	u.DeclinedAt, u.DeclinedBy, u.DeclineReason = now.UTC(), by, reason
	u.UpdatedAt = now.UTC()
	return true, nil
}

// SetPasswordHash replaces the stored hash, e.g. with a stronger one after a
// successful login. It is not a change anyone else hears of, so the version
// (which events carry) stays as it is.
func (u *User) SetPasswordHash(h string, now time.Time) {
	u.PasswordHash = h
	u.UpdatedAt = now.UTC()
}

// EmailVerified reports whether the owner proved the address.
func (u *User) EmailVerified() bool { return !u.EmailVerifiedAt.IsZero() }

// MarkEmailVerified records that the owner proved the address. It reports
// whether anything changed: a second proof changes nothing.
func (u *User) MarkEmailVerified(now time.Time) bool {
	if u.EmailVerified() {
		return false
	}
	u.EmailVerifiedAt = now.UTC()
	u.UpdatedAt = now.UTC()
	return true
}

// Disable stops the account from signing in. An admin cannot disable their
// own account (nobody could enable it again if they are the last admin).
// It reports whether anything changed.
func (u *User) Disable(by string, now time.Time) (bool, error) {
	if by == u.ID {
		return false, ErrSelfDisable
	}
	if u.Status == StatusDisabled {
		return false, nil
	}
	u.Status = StatusDisabled
	u.DisabledAt, u.DisabledBy = now.UTC(), by
	u.UpdatedAt = now.UTC()
	return true, nil
}

// Enable lets a disabled account sign in again: a host that was never
// verified goes back to pending, everyone else to active. It reports
// whether anything changed.
func (u *User) Enable(now time.Time) bool {
	if u.Status != StatusDisabled {
		return false
	}
	u.Status = StatusActive
	if u.Role == RoleHost && u.VerifiedAt.IsZero() {
		u.Status = StatusPending
		if !u.DeclinedAt.IsZero() {
			u.Status = StatusDeclined
		}
	}
	u.DisabledAt, u.DisabledBy = time.Time{}, ""
	u.UpdatedAt = now.UTC()
	return true
}

// CanSignIn reports whether the account may get tokens.
func (u *User) CanSignIn() bool { return u.Status != StatusDisabled }

func (u *User) touch(now time.Time) {
	u.Version++
	u.UpdatedAt = now.UTC()
}

// NormalizeEmail brings an address to the one form it is stored and looked
// up in, and checks that it looks like one: a local part and a domain with
// a dot, no spaces, control or format characters, at most 254 bytes. It
// does not try to implement RFC 5322.
//
// The form is NFKC (full-width and other compatibility spellings become
// plain ones), lower case, with an internationalised domain in its ASCII
// (punycode) form, so that a look-alike domain shows as what it is on the
// coordinator pages. Format characters (Unicode Cf: zero-width spaces and
// joiners, bidi controls, soft hyphens) are refused rather than dropped:
// they only serve to make one address look like another.
func NormalizeEmail(s string) (string, error) {
	bad := func(fe fielderr.FieldError) (string, error) { return "", Invalid(fe) }
	const field = "email"
	if !utf8.ValidString(s) {
		return bad(fielderr.NewTextEncoding(field).Because("must be valid UTF-8"))
	}
	if textnorm.Invisible(s) {
		return bad(fielderr.NewFormatCharacter(field))
	}
	e := strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
	switch {
	case e == "":
		return bad(fielderr.NewRequired(field))
	case len(e) > MaxEmailLength:
		return bad(fielderr.NewTooLong(field, MaxEmailLength))
	}
	for _, r := range e {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '<' || r == '>' || r == ',' || r == ';' || r == '"' {
			return bad(fielderr.NewEmail(field).Because("must be a single plain address such as name@example.org"))
		}
	}
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 || strings.Count(e, "@") != 1 {
		return bad(fielderr.NewEmail(field).Because("must be an address such as name@example.org"))
	}
	domain := e[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return bad(fielderr.NewEmail(field).Because("must have a domain such as example.org"))
	}
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return bad(fielderr.NewEmail(field).Because("must have a valid domain name such as example.org"))
	}
	e = e[:at+1] + ascii
	if len(e) > MaxEmailLength {
		return bad(fielderr.NewTooLong(field, MaxEmailLength))
	}
	return e, nil
}

// LegacyEmail is the form addresses were stored in before NormalizeEmail
// applied NFKC and IDNA: trimmed and lower-cased. Sign-in falls back to it
// so that accounts made then keep working.
func LegacyEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

func cleanText(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		return "", Invalid(fielderr.NewRequired(field))
	case !utf8.ValidString(s):
		return "", Invalid(fielderr.NewTextEncoding(field).Because("must be valid UTF-8"))
	case utf8.RuneCountInString(s) > MaxNameLength:
		return "", Invalid(fielderr.NewTooLong(field, MaxNameLength))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", Invalid(fielderr.NewControlCharacter(field))
		}
	}
	if textnorm.Invisible(s) {
		return "", Invalid(fielderr.NewFormatCharacter(field))
	}
	return s, nil
}

// cleanReason checks a free-text reason: required, valid UTF-8, at most
// MaxReasonLength characters, line breaks and tabs allowed but no other
// control or invisible format characters.
func cleanReason(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", Invalid(fielderr.NewRequired(field))
	case !utf8.ValidString(s):
		return "", Invalid(fielderr.NewTextEncoding(field).Because("must be valid UTF-8"))
	case utf8.RuneCountInString(s) > MaxReasonLength:
		return "", Invalid(fielderr.NewTooLong(field, MaxReasonLength))
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "", Invalid(fielderr.NewControlCharacter(field))
		}
	}
	if textnorm.Invisible(s) {
		return "", Invalid(fielderr.NewFormatCharacter(field))
	}
	return s, nil
}
