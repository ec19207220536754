// Package router forwards /api/v1 requests to the services when they run as
// separate processes (split mode). Requests are routed by a table of method
// and path pattern, not by the first path segment: /programs/{id}/candidates
// belongs to matching while /programs/{id} belongs to programs.
package router

import "net/http"

// Service names used in the table.
const (
	Profiles = "profiles"
	Programs = "programs"
	Matching = "matching"
)

// Route sends one method and path pattern (echo syntax, relative to
// /api/v1) to a service.
type Route struct {
	Method  string
	Path    string
	Service string
}

// Table is every public route of the services other than the gateway, as in
// DESIGN.md §3. A service that adds a route adds it here too, or split mode
// answers 404 for it.
var Table = []Route{
	// Profiles.
	{http.MethodGet, "/profiles/consent-notice", Profiles},
	{http.MethodPost, "/profiles", Profiles},
	{http.MethodGet, "/profiles", Profiles},
	{http.MethodGet, "/profiles/me", Profiles},
	{http.MethodPut, "/profiles/me", Profiles},
	{http.MethodDelete, "/profiles/me", Profiles},
	{http.MethodGet, "/profiles/me/export", Profiles},
	{http.MethodPost, "/profiles/import", Profiles},
	{http.MethodGet, "/profiles/:id", Profiles},

	// Programs.
	{http.MethodPost, "/programs", Programs},
	{http.MethodGet, "/programs", Programs},
	{http.MethodPost, "/programs/import", Programs},
	{http.MethodGet, "/programs/:id", Programs},
	{http.MethodPut, "/programs/:id", Programs},
	{http.MethodPost, "/programs/:id/publish", Programs},
	{http.MethodPost, "/programs/:id/close", Programs},

	// Matching.
	{http.MethodGet, "/recommendations/me", Matching},
	{http.MethodGet, "/programs/:id/candidates", Matching},
	{http.MethodPut, "/programs/:id/ranking", Matching},
	{http.MethodGet, "/programs/:id/ranking", Matching},
	{http.MethodPost, "/applications", Matching},
	{http.MethodGet, "/applications/me", Matching},
	{http.MethodPut, "/applications/me/ranking", Matching},
	{http.MethodGet, "/applications/me/ranking", Matching},
	{http.MethodDelete, "/applications/:id", Matching},
	{http.MethodPost, "/rounds", Matching},
	{http.MethodGet, "/rounds", Matching},
	{http.MethodGet, "/rounds/:id/explanations", Matching},
	{http.MethodGet, "/rounds/:id", Matching},
	{http.MethodPost, "/rounds/:id/run", Matching},
	{http.MethodGet, "/rounds/:id/matches", Matching},
	{http.MethodPost, "/rounds/:id/publish", Matching},
	{http.MethodGet, "/rounds/:id/report", Matching},
	{http.MethodGet, "/matches", Matching},
	{http.MethodGet, "/matches/me", Matching},
	{http.MethodPost, "/matches/:id/approve", Matching},
	{http.MethodPost, "/matches/:id/reject", Matching},
	{http.MethodPost, "/matches/:id/accept", Matching},
	{http.MethodPost, "/matches/:id/decline", Matching},
	{http.MethodGet, "/audit", Matching},
}
