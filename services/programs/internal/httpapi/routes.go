// Package httpapi is the programs service's HTTP surface: the access table
// of its routes, request and response types, and the mapping of domain
// errors to problem responses.
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serves the routes.
type Handlers struct {
	app *app.Service
}

// New returns the handlers over the use cases.
func New(a *app.Service) *Handlers { return &Handlers{app: a} }

// Table is the access table: every route with who may call it. Object-level
// rules (a host's own programs, drafts seen only by their host) are the
// use cases' business and answer 404.
func (h *Handlers) Table() []auth.Route {
	return []auth.Route{
		{Method: http.MethodGet, Path: "/programs", Policy: auth.Anyone, Handler: h.search},
		{Method: http.MethodPost, Path: "/programs", Policy: auth.Hosts, Handler: h.create},
		{Method: http.MethodPost, Path: "/programs/import", Policy: auth.Hosts, Handler: h.importCSV},
		{Method: http.MethodGet, Path: "/programs/:id", Policy: auth.Anyone, Handler: h.get},
		{Method: http.MethodPut, Path: "/programs/:id", Policy: auth.Hosts, Handler: h.update},
		{Method: http.MethodPost, Path: "/programs/:id/publish", Policy: auth.Hosts, Handler: h.publish},
		{Method: http.MethodPost, Path: "/programs/:id/close", Policy: auth.HostsAndCoords, Handler: h.close},
	}
}

// Register adds the routes to the API group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
