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

// Page is a page of a list (DESIGN.md §4):
// {"items": [...], "page": 1, "pageSize": 20, "total": 57}.
type Page[T any] struct {
	Items    []T   `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"pageSize"`
	Total    int64 `json:"total"`
}

// RowError is one problem of one row of an imported CSV file.
type RowError struct {
	// Line is the file's line, from 1 (the header, when there is one).
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
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
