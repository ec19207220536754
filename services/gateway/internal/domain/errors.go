package domain

import (
	"errors"
	"fmt"
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Errors of the identity rules. The HTTP layer maps each to a status code.
var (
	ErrUserNotFound       = errors.New("user not found")
	ErrEmailTaken         = errors.New("an account with this e-mail address exists")
	ErrInvalidCredentials = errors.New("wrong e-mail address or password")
	ErrAccountDisabled    = errors.New("account disabled")
	ErrNotAHost           = errors.New("only host accounts are verified")
	// ErrHostVerified refuses declining a host that is verified already.
	ErrHostVerified = errors.New("the host is verified already")
	// ErrSelfDisable refuses an admin disabling their own account.
	ErrSelfDisable = errors.New("an admin cannot disable their own account")
	// ErrTokenInvalid covers every e-mailed link token that is not
	// accepted: unknown, expired, already used or of another purpose.
	ErrTokenInvalid = errors.New("link token invalid")
	// ErrAlreadyVerified says the address was verified before.
	ErrAlreadyVerified = errors.New("e-mail address already verified")
	// ErrWrongPassword is a password change with a wrong current password.
	ErrWrongPassword = errors.New("the current password is wrong")
	// ErrSessionInvalid covers every refresh token that is not accepted:
	// unknown, expired, revoked, or reused.
	ErrSessionInvalid = errors.New("refresh token invalid")
	// ErrConflict means a concurrent change won; the caller may retry.
	ErrConflict = errors.New("concurrent change")
	// ErrBusy means the server is at its limit of password hashing work.
	ErrBusy = errors.New("too busy")
)

// ValidationError names a field of the input and what is wrong with it:
// a stable code with parameters, and Problem in English.
type ValidationError struct {
	Field   string
	Problem string
	Code    fielderr.Code
	Params  *fielderr.Params
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Problem }

// Invalid is the ValidationError of a field error.
func Invalid(fe fielderr.FieldError) *ValidationError {
	return &ValidationError{Field: fe.Field, Problem: fe.Reason, Code: fe.Code, Params: fe.Params}
}

// FieldError is e in the shape of a problem's field errors.
func (e *ValidationError) FieldError() fielderr.FieldError {
	return fielderr.New(e.Field, e.Code, e.Params, e.Problem)
}

// RateLimitedError says that too many attempts were made and when to try
// again.
type RateLimitedError struct {
	// Action is what was limited: "signup", or "" for sign-in.
	Action     string
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many attempts; retry after %s", e.RetryAfter)
}

// ValidationErrors lists every ValidationError inside err (joined errors
// included).
func ValidationErrors(err error) []*ValidationError {
	var out []*ValidationError
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if v, ok := e.(*ValidationError); ok {
			out = append(out, v)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		walk(errors.Unwrap(e))
	}
	walk(err)
	return out
}

// ErrUnchanged is returned by a change function that has nothing to store.
var ErrUnchanged = errors.New("nothing changed")
