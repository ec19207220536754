package domain

import (
	"errors"
	"strings"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Errors of the programs domain. The HTTP layer gives each a status and a
// stable code.
var (
	// ErrNotFound: no such program, or one the caller may not see.
	ErrNotFound = errors.New("program not found")
	// ErrHostNotVerified: the caller's host account is not (yet) verified
	// by a coordinator.
	ErrHostNotVerified = errors.New("host account is not verified")
	// ErrClosed: a closed program cannot change any more.
	ErrClosed = errors.New("program is closed")
	// ErrLocked: seats and eligibility are fixed once a match round that
	// includes the program has run.
	ErrLocked = errors.New("seats and eligibility are locked by a completed match round")
	// ErrDeadlinePassed: a program whose application deadline has passed
	// cannot be published.
	ErrDeadlinePassed = errors.New("the application deadline has passed")
)

// FieldError names one field of a program, a stable code and what is wrong
// with it. Field is the JSON path, e.g. "eligibility.languages[0].minLevel".
type FieldError = fielderr.FieldError

// ValidationError lists every rule a program breaks.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid program: " + strings.Join(parts, "; ")
}
