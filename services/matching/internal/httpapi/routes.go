// Package httpapi serves the matching part of the public API (DESIGN.md
// §3 "Matching"):
//
//	GET    /recommendations/me          applicants    best open programs for the caller, with score and reasons
//	GET    /programs/{id}/candidates    hosts, coords eligible applicants who consented to be shown (the program's host only; paged)
//	PUT    /programs/{id}/ranking       hosts, coords the host's ranking of the program's applicants
//	GET    /programs/{id}/ranking       hosts, coords that ranking
//	POST   /applications                applicants    apply to a program {programId}
//	GET    /applications/me             applicants    the caller's applications (with their offer, once published)
//	DELETE /applications/{id}           applicants    withdraw one of the caller's applications
//	PUT    /applications/me/ranking     applicants    the caller's rank list {programIds}
//	GET    /applications/me/ranking     applicants    that rank list
//	POST   /rounds                      coordinators  create a round {name, programIds, seed?}
//	GET    /rounds                      coordinators  rounds, newest first (paged)
//	GET    /rounds/{id}                 coordinators  status, phase, progress, counts, stability certificate
//	POST   /rounds/{id}/run             coordinators  run (or re-run) the round in the background: 202
//	GET    /rounds/{id}/matches         coordinators  the round's matches with reasons (?status=)
//	GET    /rounds/{id}/explanations    coordinators; applicants (their own, once published)
//	POST   /rounds/{id}/publish         coordinators  offer every approved match once none is undecided
//	GET    /rounds/{id}/report          coordinators  outcome report
//	GET    /matches                     coordinators  matches by ?status= and ?roundId= (paged)
//	GET    /matches/me                  applicants    the caller's offers and answers
//	POST   /matches/{id}/approve        coordinators  {note?}
//	POST   /matches/{id}/reject         coordinators  {reason}
//	POST   /matches/{id}/accept         applicants    accept the caller's published offer
//	POST   /matches/{id}/decline        applicants    decline it
//	GET    /audit                       coordinators  ?entity=<type>:<id> or <id>, ?page=
//
// Objects that are not the caller's answer 404, roles that may not call a
// route 403.
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serve the routes.
type Handlers struct {
	App *app.Service
}

// applicantsAndCoords may read round explanations: coordinators all of
// them, applicants their own.
var applicantsAndCoords = auth.Policy{Roles: []string{auth.RoleApplicant, auth.RoleCoordinator, auth.RoleAdmin}}

// Table is the access table: every route with who may call it.
func (h *Handlers) Table() []auth.Route {
	return []auth.Route{
		{Method: http.MethodGet, Path: "/recommendations/me", Policy: auth.Applicants, Handler: h.recommendations},
		{Method: http.MethodGet, Path: "/programs/:id/candidates", Policy: auth.HostsAndCoords, Handler: h.candidates},
		{Method: http.MethodPut, Path: "/programs/:id/ranking", Policy: auth.HostsAndCoords, Handler: h.setProgramRanking},
		{Method: http.MethodGet, Path: "/programs/:id/ranking", Policy: auth.HostsAndCoords, Handler: h.programRanking},
		{Method: http.MethodPost, Path: "/applications", Policy: auth.Applicants, Handler: h.apply},
		{Method: http.MethodGet, Path: "/applications/me", Policy: auth.Applicants, Handler: h.myApplications},
		{Method: http.MethodDelete, Path: "/applications/:id", Policy: auth.Applicants, Handler: h.withdraw},
		{Method: http.MethodPut, Path: "/applications/me/ranking", Policy: auth.Applicants, Handler: h.setRanking},
		{Method: http.MethodGet, Path: "/applications/me/ranking", Policy: auth.Applicants, Handler: h.myRanking},
		{Method: http.MethodPost, Path: "/rounds", Policy: auth.Coordinators, Handler: h.createRound},
		{Method: http.MethodGet, Path: "/rounds", Policy: auth.Coordinators, Handler: h.rounds},
		{Method: http.MethodGet, Path: "/rounds/:id", Policy: auth.Coordinators, Handler: h.round},
		{Method: http.MethodPost, Path: "/rounds/:id/run", Policy: auth.Coordinators, Handler: h.run},
		{Method: http.MethodGet, Path: "/rounds/:id/matches", Policy: auth.Coordinators, Handler: h.roundMatches},
		{Method: http.MethodGet, Path: "/rounds/:id/explanations", Policy: applicantsAndCoords, Handler: h.explanations},
		{Method: http.MethodPost, Path: "/rounds/:id/publish", Policy: auth.Coordinators, Handler: h.publish},
		{Method: http.MethodGet, Path: "/rounds/:id/report", Policy: auth.Coordinators, Handler: h.report},
		{Method: http.MethodGet, Path: "/matches", Policy: auth.Coordinators, Handler: h.matches},
		{Method: http.MethodGet, Path: "/matches/me", Policy: auth.Applicants, Handler: h.myMatches},
		{Method: http.MethodPost, Path: "/matches/:id/approve", Policy: auth.Coordinators, Handler: h.approve},
		{Method: http.MethodPost, Path: "/matches/:id/reject", Policy: auth.Coordinators, Handler: h.reject},
		{Method: http.MethodPost, Path: "/matches/:id/accept", Policy: auth.Applicants, Handler: h.accept},
		{Method: http.MethodPost, Path: "/matches/:id/decline", Policy: auth.Applicants, Handler: h.decline},
		{Method: http.MethodGet, Path: "/audit", Policy: auth.Coordinators, Handler: h.audit},
	}
}

// Register adds the routes to the /api/v1 group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
