// Package matching is the public API of the matching service (DESIGN.md §3
// "Matching").
package matching

import (
	"net/http"

	"github.com/talentbridge/platform/shared/auth"
)

// ApplicantsAndCoords may read round explanations: coordinators all of
// them, applicants their own.
var ApplicantsAndCoords = auth.Policy{Roles: []string{auth.RoleApplicant, auth.RoleCoordinator, auth.RoleAdmin}}

// Routes are the service's routes: its access table serves them and the
// gateway forwards them in split mode.
var Routes = struct {
	Recommendations, Candidates, SetProgramRanking, ProgramRanking               auth.Endpoint
	Apply, MyApplications, Withdraw, SetRanking, MyRanking                       auth.Endpoint
	CreateRound, Rounds, Round, Run, RoundMatches, Explanations, Publish, Report auth.Endpoint
	Matches, MyMatches, Approve, Reject, Accept, Decline, Audit                  auth.Endpoint
	ImportProgramRanking, ImportRoundRanks                                       auth.Endpoint
}{
	ImportRoundRanks: auth.Endpoint{Method: http.MethodPost, Path: "/rounds/:id/ranks/import",
		Policy: auth.Coordinators, CSVBody: true},
	ImportProgramRanking: auth.Endpoint{Method: http.MethodPost, Path: "/programs/:id/ranking/import",
		Policy: auth.HostsAndCoords, CSVBody: true},
	Recommendations:   auth.Endpoint{Method: http.MethodGet, Path: "/recommendations/me", Policy: auth.Applicants},
	Candidates:        auth.Endpoint{Method: http.MethodGet, Path: "/programs/:id/candidates", Policy: auth.HostsAndCoords},
	SetProgramRanking: auth.Endpoint{Method: http.MethodPut, Path: "/programs/:id/ranking", Policy: auth.HostsAndCoords},
	ProgramRanking:    auth.Endpoint{Method: http.MethodGet, Path: "/programs/:id/ranking", Policy: auth.HostsAndCoords},
	Apply:             auth.Endpoint{Method: http.MethodPost, Path: "/applications", Policy: auth.Applicants},
	MyApplications:    auth.Endpoint{Method: http.MethodGet, Path: "/applications/me", Policy: auth.Applicants},
	Withdraw:          auth.Endpoint{Method: http.MethodDelete, Path: "/applications/:id", Policy: auth.Applicants},
	SetRanking:        auth.Endpoint{Method: http.MethodPut, Path: "/applications/me/ranking", Policy: auth.Applicants},
	MyRanking:         auth.Endpoint{Method: http.MethodGet, Path: "/applications/me/ranking", Policy: auth.Applicants},
	CreateRound:       auth.Endpoint{Method: http.MethodPost, Path: "/rounds", Policy: auth.Coordinators},
	Rounds:            auth.Endpoint{Method: http.MethodGet, Path: "/rounds", Policy: auth.Coordinators},
	Round:             auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id", Policy: auth.Coordinators},
	Run:               auth.Endpoint{Method: http.MethodPost, Path: "/rounds/:id/run", Policy: auth.Coordinators},
	RoundMatches:      auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id/matches", Policy: auth.Coordinators},
	Explanations:      auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id/explanations", Policy: ApplicantsAndCoords},
	Publish:           auth.Endpoint{Method: http.MethodPost, Path: "/rounds/:id/publish", Policy: auth.Coordinators},
	Report:            auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id/report", Policy: auth.Coordinators},
	Matches:           auth.Endpoint{Method: http.MethodGet, Path: "/matches", Policy: auth.Coordinators},
	MyMatches:         auth.Endpoint{Method: http.MethodGet, Path: "/matches/me", Policy: auth.Applicants},
	Approve:           auth.Endpoint{Method: http.MethodPost, Path: "/matches/:id/approve", Policy: auth.Coordinators},
	Reject:            auth.Endpoint{Method: http.MethodPost, Path: "/matches/:id/reject", Policy: auth.Coordinators},
	Accept:            auth.Endpoint{Method: http.MethodPost, Path: "/matches/:id/accept", Policy: auth.Applicants},
	Decline:           auth.Endpoint{Method: http.MethodPost, Path: "/matches/:id/decline", Policy: auth.Applicants},
	Audit:             auth.Endpoint{Method: http.MethodGet, Path: "/audit", Policy: auth.Coordinators},
}
