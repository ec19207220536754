// Package api holds what the public HTTP API's packages share: the list
// envelope and the problem of a refused CSV import. The request and response types of each service are in the
// subpackages, one per service (profiles, programs, matching, identity),
// and are used by the service that serves them, by the gateway's web UI
// and by the demo loader, so that a body has one definition.
//
// These are plain structs with JSON tags (DESIGN.md §3 and §4 fix the
// names). They hold no rules: whether a body is valid is the serving
// service's call, and each service maps its domain types to these in its
// own httpapi package.
package api

import "github.com/talentbridge/platform/shared/fielderr"

// Page is a page of a list (DESIGN.md §4):
// {"items": [...], "page": 1, "pageSize": 20, "total": 57}.
type Page[T any] struct {
	Items    []T   `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"pageSize"`
	Total    int64 `json:"total"`
}

// RowError is one problem of one row of an imported CSV file: a field
// error (DESIGN.md §3) that always names its line.
type RowError struct {
	// Line is the file's line, from 1 (the header, when there is one).
	Line int `json:"line"`
	// Field is the column, or empty for a problem of the whole line.
	Field string `json:"field"`
	// Code is stable (shared/fielderr); pages word it in the user's
	// language.
	Code fielderr.Code `json:"code"`
	// Reason is the problem in English.
	Reason string           `json:"reason"`
	Params *fielderr.Params `json:"params,omitempty"`
}

// RowErrors turns field errors with lines into the rows of an
// ImportProblem.
func RowErrors(fs []fielderr.FieldError) []RowError {
	out := make([]RowError, len(fs))
	for i, f := range fs {
		out[i] = RowError{Line: f.Line, Field: f.Field, Code: f.Code, Reason: f.Reason, Params: f.Params}
	}
	return out
}

// ImportProblem is the application/problem+json body (RFC 9457) of a
// refused CSV import: nothing was imported, and every bad row is listed.
type ImportProblem struct {
	Type     string     `json:"type"`
	Title    string     `json:"title"`
	Status   int        `json:"status"`
	Code     string     `json:"code"`
	Detail   string     `json:"detail"`
	Instance string     `json:"instance,omitempty"`
	Errors   []RowError `json:"errors"`
}
