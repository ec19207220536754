// Package httpapi serves the matching part of the public API (DESIGN.md
// §3 "Matching"):
//
//	GET    /recommendations/me          applicants    best open programs for the caller, with score and reasons
//	GET    /programs/{id}/candidates    hosts, coords eligible applicants who consented to be shown (the program's host only; paged)
//	GET    /programs/{id}/candidates.csv hosts, coords the same rows as CSV, every page
//	PUT    /programs/{id}/ranking       hosts, coords the host's ranking of the program's applicants
//	GET    /programs/{id}/ranking       hosts, coords that ranking
//	POST   /applications                applicants    apply to a program {programId}
//	GET    /applications/me             applicants    the caller's applications (with their offer, once published)
//	DELETE /applications/{id}           applicants    withdraw one of the caller's applications
//	PUT    /applications/me/ranking     applicants    the caller's rank list {programIds}
//	GET    /applications/me/ranking     applicants    that rank list
//	POST   /rounds                      coordinators  create a round {name, programIds, seed?, offerDays?, policy?}
//	GET    /rounds                      coordinators  rounds, newest first (paged)
//	GET    /rounds/{id}                 coordinators  status, phase, progress, counts, stability certificate
//	POST   /rounds/{id}/run             coordinators  run (or re-run) the round in the background: 202
//	GET    /rounds/{id}/matches         coordinators  the round's matches with reasons (?status=)
//	GET    /rounds/{id}/explanations    coordinators; applicants (their own, once published)
//	POST   /rounds/{id}/approve         coordinators  approve every proposed match at once {proposed, note?}
//	POST   /rounds/{id}/publish         coordinators  offer every approved match once none is undecided {respondBy?}
//	GET    /rounds/{id}/demand          coordinators; applicants with an application in the round: counts per program
//	POST   /rounds/{id}/vacancy         coordinators  a vacancy round over a published round's leftovers {name, offerDays?}
//	GET    /rounds/{id}/report          coordinators  outcome report
//	GET    /rounds/{id}/report.csv      coordinators  the same as CSV (counts under 10 "<10")
//	POST   /rounds/{id}/mock            coordinators  run the allocation without saving matches or telling anyone
//	GET    /rounds/{id}/mock            coordinators  the last mock run with fill per program, region and category
//	GET    /matches                     coordinators  matches by ?status= and ?roundId= (paged)
//	GET    /matches/me                  applicants    the caller's offers and answers
//	POST   /matches/{id}/approve        coordinators  {note?}
//	POST   /matches/{id}/reject         coordinators  {reason}
//	POST   /matches/{id}/accept         applicants    accept the caller's published offer
//	POST   /matches/{id}/decline        applicants    decline it
//	GET    /audit                       coordinators  ?entity=<type>:<id> or <id>, ?entityType=, ?action=, ?actor=, ?from=, ?to= (days), ?page=
//
// and the routes of application review, interviews and messages
// (review.go): stages, documents, interview slots, bookings and their
// iCalendar file, threads and bulk messages.
//
// Objects that are not the caller's answer 404, roles that may not call a
// route 403.
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serve the routes.
type Handlers struct {
	App *app.Service
}

// Table is the access table: every route of shared/api/matching with its
// handler and what it takes and answers.
func (h *Handlers) Table() []auth.Route {
	r := apimatching.Routes
	return append([]auth.Route{
		r.Recommendations.Serve(h.recommendations, &auth.Doc{Summary: "Best open programs for the caller",
			Response: api.Page[apimatching.Recommendation]{}}),
		r.Candidates.Serve(h.candidates, &auth.Doc{Summary: "Applicants the program's host may see: those who applied, in full; eligible ones who let hosts find them, limited",
			Response: api.Page[apimatching.Candidate]{}, Errors: []int{400}}),
		r.SetProgramRanking.Serve(h.setProgramRanking, &auth.Doc{Summary: "Set the program's ranking of applicants",
			Request: apimatching.ProgramRankingRequest{}, Response: apimatching.ProgramRanking{}, Errors: []int{422}}),
		r.ImportProgramRanking.Serve(h.importProgramRanking, &auth.Doc{
			Summary:      "Replace the program's ranking from CSV: one applicant id or imported e-mail address per line, in order; all or nothing",
			RequestMedia: "text/csv", Response: apimatching.ProgramRanking{}, Errors: []int{413, 415, 422}}),
		r.ImportRoundRanks.Serve(h.importRoundRanks, &auth.Doc{
			Summary:      "Import the round's rank lists from CSV (applicant,program1,program2,…), recording applications on the applicants' behalf; all or nothing",
			RequestMedia: "text/csv", Response: apimatching.RankImportResult{}, Errors: []int{409, 413, 415, 422}}),
		r.ProgramRanking.Serve(h.programRanking, &auth.Doc{Summary: "The program's ranking of applicants", Response: apimatching.ProgramRanking{}}),
		r.Apply.Serve(h.apply, &auth.Doc{Summary: "Apply to a program", Request: apimatching.ApplyRequest{},
			Status: http.StatusCreated, Response: apimatching.Application{}, Errors: []int{404, 409, 422}}),
		r.MyApplications.Serve(h.myApplications, &auth.Doc{Summary: "The caller's applications", Response: api.Page[apimatching.Application]{}}),
		r.Withdraw.Serve(h.withdraw, &auth.Doc{Summary: "Withdraw an application", Status: http.StatusNoContent, Errors: []int{409}}),
		r.SetRanking.Serve(h.setRanking, &auth.Doc{Summary: "Set the caller's rank list", Request: apimatching.RankingRequest{},
			Response: apimatching.Ranking{}, Errors: []int{422}}),
		r.MyRanking.Serve(h.myRanking, &auth.Doc{Summary: "The caller's rank list", Response: apimatching.Ranking{}}),
		r.CreateRound.Serve(h.createRound, &auth.Doc{Summary: "Create a match round", Request: apimatching.RoundRequest{},
			Status: http.StatusCreated, Response: apimatching.Round{}, Errors: []int{422}}),
		r.Rounds.Serve(h.rounds, &auth.Doc{Summary: "Rounds, newest first", Response: api.Page[apimatching.Round]{}, Errors: []int{400}}),
		r.Round.Serve(h.round, &auth.Doc{Summary: "A round's status and certificate", Response: apimatching.Round{}}),
		r.Run.Serve(h.run, &auth.Doc{Summary: "Run the round in the background", Status: http.StatusAccepted,
			Response: apimatching.Round{}, Errors: []int{409}}),
		r.RoundMatches.Serve(h.roundMatches, &auth.Doc{Summary: "The round's matches with reasons", Response: api.Page[apimatching.Match]{}, Errors: []int{400}}),
		r.Explanations.Serve(h.explanations, &auth.Doc{Summary: "Why each applicant was or was not matched",
			Response: api.Page[apimatching.Explanation]{}, Errors: []int{400}}),
		r.Publish.Serve(h.publish, &auth.Doc{Summary: "Offer every approved match, to be answered by respondBy",
			Request: apimatching.PublishRequest{}, RequestOptional: true, Response: apimatching.Round{}, Errors: []int{409, 422}}),
		r.ApproveRound.Serve(h.approveRound, &auth.Doc{Summary: "Approve every proposed match of the round at once, naming how many were reviewed",
			Request: apimatching.ApproveRoundRequest{}, Response: apimatching.Round{}, Errors: []int{400, 409}}),
		r.Report.Serve(h.report, &auth.Doc{Summary: "The round's outcome report", Response: apimatching.Report{}}),
		r.Matches.Serve(h.matches, &auth.Doc{Summary: "Matches by status and round, oldest first; pass next as after for the following ones",
			Response: apimatching.MatchPage{}, Errors: []int{400}}),
		r.MyMatches.Serve(h.myMatches, &auth.Doc{Summary: "The caller's offers and answers", Response: api.Page[apimatching.Match]{}}),
		r.Approve.Serve(h.approve, &auth.Doc{Summary: "Approve a proposed match", Request: apimatching.ApproveRequest{}, RequestOptional: true,
			Response: apimatching.Match{}, Errors: []int{409}}),
		r.Reject.Serve(h.reject, &auth.Doc{Summary: "Reject a proposed match", Request: apimatching.RejectRequest{},
			Response: apimatching.Match{}, Errors: []int{409}}),
		r.Accept.Serve(h.accept, &auth.Doc{Summary: "Accept the caller's offer before it expires", Response: apimatching.Match{}, Errors: []int{409}}),
		r.Decline.Serve(h.decline, &auth.Doc{Summary: "Decline the caller's offer", Response: apimatching.Match{}, Errors: []int{409}}),
		r.Demand.Serve(h.demand, &auth.Doc{Summary: "Seats, rank lists naming each program and those naming it first",
			Response: apimatching.DemandList{}}),
		r.Vacancy.Serve(h.vacancy, &auth.Doc{Summary: "A vacancy round over the seats a published round left",
			Request: apimatching.VacancyRequest{}, Status: http.StatusCreated, Response: apimatching.Round{}, Errors: []int{409, 422}}),
		r.Mock.Serve(h.mockRun, &auth.Doc{Summary: "Try the round's allocation under its policy without saving matches or telling anyone; replaces the last mock",
			Response: apimatching.MockRun{}, Errors: []int{409}}),
		r.MyRounds.Serve(h.myRounds, &auth.Doc{Summary: "The published rounds the caller took part in and what each gave them, matched or not, newest first",
			Response: apimatching.RoundOutcomes{}}),
		r.MockResult.Serve(h.mock, &auth.Doc{Summary: "The round's last mock run: would-be matches and fill per program, region and category",
			Response: apimatching.MockRun{}}),
		r.CandidatesCSV.Serve(h.candidatesCSV, &auth.Doc{Summary: "The program's candidates as CSV, the same rows as GET /programs/{id}/candidates (its host and coordinators; cells escaped against formula injection)",
			Errors: []int{400}}),
		r.ReportCSV.Serve(h.reportCSV, &auth.Doc{Summary: "The round's outcome report as CSV (section, id, group, measure, value); counts of fewer than 10 people are \"<10\"; cells escaped against formula injection"}),
		r.Audit.Serve(h.audit, &auth.Doc{Summary: "The audit trail of an entity", Response: api.Page[apimatching.AuditEntry]{}, Errors: []int{400}}),
	}, h.reviewTable()...)
}

// Register adds the routes to the /api/v1 group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
