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

// Parties may call the routes of an application's thread and its
// interview: the applicant, the host of the program and coordinators
// (which objects each may touch is decided per object).
var Parties = auth.Policy{Roles: []string{auth.RoleApplicant, auth.RoleHost, auth.RoleCoordinator, auth.RoleAdmin}}

// Routes are the service's routes: its access table serves them and the
// gateway forwards them in split mode.
var Routes = struct {
	Recommendations, Candidates, SetProgramRanking, ProgramRanking               auth.Endpoint
	Apply, MyApplications, Withdraw, SetRanking, MyRanking                       auth.Endpoint
	CreateRound, Rounds, Round, Run, RoundMatches, Explanations, Publish, Report auth.Endpoint
	Matches, MyMatches, Approve, Reject, Accept, Decline, Audit                  auth.Endpoint
	// Application review, interviews and messages.
	ProgramApplications, Review, Shortlist, Pass, Interviewed, Documents auth.Endpoint
	AddSlots, Slots, Book, CancelBooking, InterviewICS                   auth.Endpoint
	CancelSlot                                                           auth.Endpoint
	Messages, PostMessage, BulkMessage, MyMessages                       auth.Endpoint
	Demand, Vacancy                                                      auth.Endpoint
	ImportProgramRanking, ImportRoundRanks                               auth.Endpoint
	// Mock runs of a round's allocation, saved apart from matches.
	Mock, MockResult auth.Endpoint
	// ApproveRound approves every proposed match of a round at once.
	ApproveRound auth.Endpoint
	// MyRounds is the published rounds the caller took part in, with
	// what each gave them.
	MyRounds auth.Endpoint
	// CandidatesCSV and ReportCSV are the candidates and the round report
	// as CSV downloads (cells escaped by shared/csvexport).
	CandidatesCSV, ReportCSV auth.Endpoint
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

	ProgramApplications: auth.Endpoint{Method: http.MethodGet, Path: "/programs/:id/applications", Policy: auth.HostsAndCoords},
	Review:              auth.Endpoint{Method: http.MethodPost, Path: "/applications/:id/review", Policy: auth.HostsAndCoords},
	Shortlist:           auth.Endpoint{Method: http.MethodPost, Path: "/applications/:id/shortlist", Policy: auth.HostsAndCoords},
	Pass:                auth.Endpoint{Method: http.MethodPost, Path: "/applications/:id/pass", Policy: auth.HostsAndCoords},
	Interviewed:         auth.Endpoint{Method: http.MethodPost, Path: "/applications/:id/interviewed", Policy: auth.HostsAndCoords},
	Documents:           auth.Endpoint{Method: http.MethodPut, Path: "/applications/:id/documents", Policy: auth.Applicants},
	AddSlots:            auth.Endpoint{Method: http.MethodPost, Path: "/programs/:id/interview-slots", Policy: auth.HostsAndCoords},
	Slots:               auth.Endpoint{Method: http.MethodGet, Path: "/programs/:id/interview-slots", Policy: Parties},
	CancelSlot:          auth.Endpoint{Method: http.MethodDelete, Path: "/programs/:id/interview-slots/:slotId", Policy: auth.HostsAndCoords},
	Book:                auth.Endpoint{Method: http.MethodPost, Path: "/applications/:id/interview", Policy: auth.Applicants},
	CancelBooking:       auth.Endpoint{Method: http.MethodDelete, Path: "/applications/:id/interview", Policy: auth.Applicants},
	InterviewICS:        auth.Endpoint{Method: http.MethodGet, Path: "/applications/:id/interview.ics", Policy: Parties},
	Messages:            auth.Endpoint{Method: http.MethodGet, Path: "/applications/:id/messages", Policy: Parties},
	PostMessage:         auth.Endpoint{Method: http.MethodPost, Path: "/applications/:id/messages", Policy: Parties},
	BulkMessage:         auth.Endpoint{Method: http.MethodPost, Path: "/messages/bulk", Policy: auth.HostsAndCoords},
	MyMessages:          auth.Endpoint{Method: http.MethodGet, Path: "/messages/me", Policy: Parties},

	Demand:  auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id/demand", Policy: ApplicantsAndCoords},
	Vacancy: auth.Endpoint{Method: http.MethodPost, Path: "/rounds/:id/vacancy", Policy: auth.Coordinators},

	Mock:         auth.Endpoint{Method: http.MethodPost, Path: "/rounds/:id/mock", Policy: auth.Coordinators},
	MockResult:   auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id/mock", Policy: auth.Coordinators},
	ApproveRound: auth.Endpoint{Method: http.MethodPost, Path: "/rounds/:id/approve", Policy: auth.Coordinators},

	MyRounds:      auth.Endpoint{Method: http.MethodGet, Path: "/rounds/me", Policy: auth.Applicants},
	CandidatesCSV: auth.Endpoint{Method: http.MethodGet, Path: "/programs/:id/candidates.csv", Policy: auth.HostsAndCoords},
	ReportCSV:     auth.Endpoint{Method: http.MethodGet, Path: "/rounds/:id/report.csv", Policy: auth.Coordinators},
}
