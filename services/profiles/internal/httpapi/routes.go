// Package httpapi serves the profiles part of the public API (DESIGN.md §3):
//
//	GET    /profiles/consent-notice  anyone        the consent notice in force
//	POST   /profiles                 applicants    create one's own profile (one per account)
//	GET    /profiles/me              applicants    one's own profile
//	PUT    /profiles/me              applicants    replace one's own profile
//	DELETE /profiles/me              applicants    erase one's own profile
//	GET    /profiles/me/export       signed in     everything every service holds about the caller
//	GET    /profiles/{id}            signed in     owner, coordinators, or a host the applicant applied to (with consent); otherwise 404
//	GET    /profiles                 coordinators  filter and page: country, kind, field, degreeLevel, q, page, pageSize
//	POST   /profiles/import          coordinators  CSV import, all or nothing (see package csvimport)
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serve the routes.
type Handlers struct {
	App *app.Service
}

// Table is the access table: every route with who may call it.
func (h *Handlers) Table() []auth.Route {
	return []auth.Route{
		{Method: http.MethodGet, Path: "/profiles/consent-notice", Policy: auth.Anyone, Handler: h.consentNotice},
		{Method: http.MethodPost, Path: "/profiles", Policy: auth.Applicants, Handler: h.create},
		{Method: http.MethodGet, Path: "/profiles/me", Policy: auth.Applicants, Handler: h.mine},
		{Method: http.MethodPut, Path: "/profiles/me", Policy: auth.Applicants, Handler: h.revise},
		{Method: http.MethodDelete, Path: "/profiles/me", Policy: auth.Applicants, Handler: h.erase},
		{Method: http.MethodGet, Path: "/profiles/me/export", Policy: auth.SignedIn, Handler: h.export},
		{Method: http.MethodGet, Path: "/profiles/:id", Policy: auth.SignedIn, Handler: h.read},
		{Method: http.MethodGet, Path: "/profiles", Policy: auth.Coordinators, Handler: h.list},
		{Method: http.MethodPost, Path: "/profiles/import", Policy: auth.Coordinators, Handler: h.importCSV},
	}
}

// Register adds the routes to the /api/v1 group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
