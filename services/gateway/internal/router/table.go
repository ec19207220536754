// Package router forwards /api/v1 requests to the services when they run as
// separate processes (split mode). Requests are routed by a table of method
// and path pattern, not by the first path segment: /programs/{id}/candidates
// belongs to matching while /programs/{id} belongs to programs.
package router

import (
	"slices"

	"github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
)

// Service names used in the table.
const (
	Profiles   = "profiles"
	Programs   = "programs"
	Matching   = "matching"
	Documents  = "documents"
	Placements = "placements"
)

// Route sends one method and path pattern (echo syntax, relative to
// /api/v1) to a service.
type Route struct {
	Method  string
	Path    string
	Service string
	// BodyLimit is the route's own body limit (file uploads), 0 for the
	// default.
	BodyLimit int64
	// CSVBody: the route takes large CSV bodies (auth.Endpoint.CSVBody).
	CSVBody bool
}

// Table is every public route of the services other than the gateway. It
// is built from the routes each service declares in shared/api/<service>,
// the same declarations the service's own access table serves, so a route
// a service adds is forwarded without a second entry here.
var Table = slices.Concat(
	forward(Profiles, profiles.Routes),
	forward(Programs, programs.Routes),
	forward(Matching, matching.Routes),
	forward(Documents, documents.Routes),
	forward(Placements, placements.Routes),
)

// forward sends every route of a shared/api route set to service.
func forward(service string, routes any) []Route {
	var out []Route
	for _, e := range auth.Endpoints(routes) {
		out = append(out, Route{Method: e.Method, Path: e.Path, Service: service, BodyLimit: e.BodyLimit, CSVBody: e.CSVBody})
	}
	return out
}
