// Package domain holds the matching service's types and the rules that
// guard them: the read models of profiles and programs, applications and
// rank lists, rounds, matches and their review, audit entries and the
// outcome report. It is pure Go: no HTTP, no database, no messaging.
package domain

import (
	"fmt"
	"strings"

	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/fielderr"
)

// NotFoundError says that something does not exist or is not the caller's
// to see; both answer the same, so ids cannot be probed.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " not found" }

// NotFound returns a *NotFoundError for what.
func NotFound(what string) error { return &NotFoundError{What: what} }

// ConflictError says that the request does not fit the current state (a
// closed program, a duplicate application, a round that is running).
type ConflictError struct {
	Code   string
	Detail string
}

func (e *ConflictError) Error() string { return e.Code + ": " + e.Detail }

// Conflict returns a *ConflictError.
func Conflict(code, format string, args ...any) error {
	return &ConflictError{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// FieldError names one field of a request, a stable code and what is
// wrong with it.
type FieldError = fielderr.FieldError

// ValidationError is a request whose shape breaks the rules (a missing
// name, too many ids): the client can fix it without knowing any state.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid request: " + strings.Join(parts, "; ")
}

// RuleError is a well-formed request that names things it may not (a
// program the applicant did not apply to, an unknown program in a round).
type RuleError struct {
	Code   string
	Detail string
	Fields []FieldError
}

func (e *RuleError) Error() string { return e.Code + ": " + e.Detail }

// NotEligibleError says an applicant may not apply to a program, with the
// unmet rules.
type NotEligibleError struct {
	ProgramID string
	Reasons   []explain.Reason
}

func (e *NotEligibleError) Error() string {
	texts := make([]string, len(e.Reasons))
	for i, r := range e.Reasons {
		texts[i] = r.Text
	}
	return "not eligible: " + strings.Join(texts, "; ")
}

// fieldErrors collects field errors.
type fieldErrors []FieldError

func (l *fieldErrors) add(e FieldError) { *l = append(*l, e) }

func (l fieldErrors) err() error {
	if len(l) == 0 {
		return nil
	}
	return &ValidationError{Fields: l}
}

// ForbiddenError says the caller's role may not do this with these
// arguments (a host writing to an audience beyond their own programs).
type ForbiddenError struct{ Detail string }

func (e *ForbiddenError) Error() string { return "forbidden: " + e.Detail }
