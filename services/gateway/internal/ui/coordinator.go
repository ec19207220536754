package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"

	"github.com/labstack/echo/v4"

	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// HostsData is the list of hosts waiting for verification, and those
// declined (who may still be verified after all).
type HostsData struct {
	Hosts    []apiidentity.UserResponse
	Declined []apiidentity.UserResponse
}

func (u *UI) pendingHosts(c echo.Context) error {
	return u.renderHosts(c, http.StatusOK, newForm(nil))
}

func (u *UI) renderHosts(c echo.Context, status int, f *Form) error {
	var pending, declined api.Page[apiidentity.UserResponse]
	if err := u.call(c, http.MethodGet, "/auth/users?role=host&status=pending&pageSize=100", nil, &pending); err != nil {
		return err
	}
	if err := u.call(c, http.MethodGet, "/auth/users?role=host&status=declined&pageSize=100", nil, &declined); err != nil {
		return err
	}
	p := u.page(c, "hosts.title")
	p.Form = f
	p.Data = HostsData{Hosts: pending.Items, Declined: declined.Items}
	return u.render(c, status, "coord_hosts", p)
}

func (u *UI) verifyHost(c echo.Context) error {
	if err := u.call(c, http.MethodPost, "/auth/users/"+url.PathEscape(c.Param("id"))+"/verify", nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/coord/hosts?done=host_verified")
}

// declineHost declines a host with the reason typed next to it; a missing
// or too long reason is shown at that host's field.
func (u *UI) declineHost(c echo.Context) error {
	id := c.Param("id")
	reason := c.FormValue("reason")
	err := u.call(c, http.MethodPost, "/auth/users/"+url.PathEscape(id)+"/decline", apiidentity.DeclineHostRequest{Reason: reason}, nil)
	input := "reason-" + id
	f := newForm(url.Values{input: {reason}})
	switch {
	case err == nil:
		return seeOther(c, "/coord/hosts?done=host_declined")
	case f.fromProblem(err, func(string) (string, string, bool) { return input, "hosts.reason", true }):
	case statusOf(err) == http.StatusConflict:
		return seeOther(c, "/coord/hosts?done=host_decline_refused")
	default:
		return err
	}
	return u.renderHosts(c, http.StatusUnprocessableEntity, f)
}

// --- Rounds -----------------------------------------------------------------

// RoundsData is the list of rounds.
type RoundsData struct {
	Rounds []Round
}

func (u *UI) rounds(c echo.Context) error {
	var res api.Page[Round]
	err := u.call(c, http.MethodGet, "/rounds", nil, &res)
	if err != nil && statusOf(err) != http.StatusNotFound && statusOf(err) != http.StatusMethodNotAllowed {
		return err
	}
	p := u.page(c, "rounds.title")
	p.Data = RoundsData{Rounds: res.Items}
	return u.render(c, http.StatusOK, "rounds", p)
}

// RoundFormData is the new-round form.
type RoundFormData struct {
	Programs []programsev.Program
	// Regions are the rows of the policy editor.
	Regions []RegionRow
}

func (u *UI) openPrograms(c echo.Context) ([]programsev.Program, error) {
	res, err := u.searchPrograms(c, "pageSize=100")
	if err != nil {
		return nil, err
	}
	return res.Items, nil
}

func (u *UI) newRoundForm(c echo.Context) error {
	progs, err := u.openPrograms(c)
	if err != nil {
		return err
	}
	p := u.page(c, "rnew.title")
	p.Form = newForm(nil)
	p.Data = RoundFormData{Programs: progs, Regions: regionRows()}
	return u.render(c, http.StatusOK, "round_new", p)
}

func (u *UI) createRound(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(v)
	body := apimatching.RoundRequest{Name: strings.TrimSpace(v.Get("name")), ProgramIDs: nonEmpty(v["programIds"])}
	if body.ProgramIDs == nil {
		body.ProgramIDs = []string{}
	}
	if s := strings.TrimSpace(v.Get("offerDays")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			f.add("offerDays", "rnew.offer_days", "problem.number", "")
		}
		body.OfferDays = &n
	}
	if s := strings.TrimSpace(v.Get("seed")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f.add("seed", "rnew.seed", "problem.number", "")
		}
		body.Seed = &n
	}
	policy, rows := parsePolicy(v, f)
	body.Policy = policy
	if !f.HasErrors() {
		var r Round
		err := u.call(c, http.MethodPost, "/rounds", body, &r)
		switch {
		case err == nil:
			return seeOther(c, "/coord/rounds/"+url.PathEscape(r.ID)+"?done=round_created")
		case f.fromProblem(err, roundFields(rows)):
		default:
			return err
		}
	}
	progs, err := u.openPrograms(c)
	if err != nil {
		return err
	}
	p := u.page(c, "rnew.title")
	p.Form = f
	p.Data = RoundFormData{Programs: progs, Regions: regionRows()}
	return u.render(c, http.StatusUnprocessableEntity, "round_new", p)
}

// RoundData is a round's page.
type RoundData struct {
	Round   Round
	Matches []MatchView
	// Undecided are the proposed matches still waiting for review: they
	// stop the round from being published.
	Undecided []MatchView
	// Unmatched are the applicants of the last run without a seat, with
	// the reasons.
	Unmatched []ExplanationView
	// Running is set while the round runs: the page refreshes itself.
	Running  bool
	Programs map[string]*programsev.Program
	// Demand counts each program's seats and the rank lists naming it.
	Demand []apimatching.Demand
	// Matches shows one page of the round's matches, MatchesPerPage at
	// most, from the match after After; Next, when set, is the link to
	// the following page and First to the first one. A national round
	// has tens of thousands.
	After, Next, First string
	// TotalMatches counts all of the round's matches.
	TotalMatches int64
}

// MatchesPerPage is how many matches the round page lists at once.
const MatchesPerPage = 100

// ExplanationView is an explanation with the applicant's name.
type ExplanationView struct {
	apimatching.Explanation
	Applicant *profilesev.Profile
}

// MatchView is a match with the names of its applicant and program.
type MatchView struct {
	Match
	Applicant *profilesev.Profile
}

func (u *UI) round(c echo.Context) error {
	id := c.Param("id")
	var r Round
	if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id), nil, &r); err != nil {
		return err
	}
	p := u.page(c, "round.title")
	p.TitleRaw = r.Name
	d := RoundData{Round: r, Running: r.Status == "running"}
	if d.Running {
		p.Refresh = 2
	}
	d.Programs = u.programs(c, r.ProgramIDs)
	for _, pr := range d.Programs {
		p.nameProgram(pr)
	}
	d.Demand = u.demand(c, r.ID)
	if r.Status == "completed" || r.Status == "published" {
		// One page at a time, by key (GET /matches?after=): the page asks
		// for the profile of each match it shows.
		q := url.Values{"roundId": {r.ID}, "pageSize": {strconv.Itoa(MatchesPerPage)}}
		if after := c.QueryParam("after"); after != "" {
			q.Set("after", after)
			d.After = after
			d.First = "/coord/rounds/" + url.PathEscape(r.ID) + "#matches-h"
		}
		var res struct {
			Items []Match `json:"items"`
			Total int64   `json:"total"`
			Next  string  `json:"next"`
		}
		if err := u.call(c, http.MethodGet, "/matches?"+q.Encode(), nil, &res); err != nil {
			return err
		}
		d.Matches = u.matchViews(c, res.Items)
		d.TotalMatches = res.Total
		if res.Next != "" {
			d.Next = "/coord/rounds/" + url.PathEscape(r.ID) + "?after=" + url.QueryEscape(res.Next) + "#matches-h"
		}
		if r.Status == "completed" {
			var open api.Page[Match]
			if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id)+"/matches?status=proposed&pageSize=100", nil, &open); err != nil {
				return err
			}
			d.Undecided = u.matchViews(c, open.Items)
		}
		var ex api.Page[apimatching.Explanation]
		if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id)+"/explanations?pageSize=100", nil, &ex); err != nil {
			return err
		}
		for _, e := range ex.Items {
			if e.ProgramID != "" {
				continue
			}
			ev := ExplanationView{Explanation: e}
			var pr profilesev.Profile
			if err := u.call(c, http.MethodGet, "/profiles/"+url.PathEscape(e.ApplicantID), nil, &pr); err == nil {
				ev.Applicant = &pr
			}
			d.Unmatched = append(d.Unmatched, ev)
		}
	}
	p.Data = d
	return u.render(c, http.StatusOK, "round", p)
}

// matchViews names the applicants and programs of matches.
func (u *UI) matchViews(c echo.Context, ms []Match) []MatchView {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ProgramID
	}
	progs := u.programs(c, ids)
	people := map[string]*profilesev.Profile{}
	out := make([]MatchView, 0, len(ms))
	for _, m := range ms {
		m.Program = progs[m.ProgramID]
		prof, seen := people[m.ApplicantID]
		if !seen {
			var pr profilesev.Profile
			if err := u.call(c, http.MethodGet, "/profiles/"+url.PathEscape(m.ApplicantID), nil, &pr); err == nil {
				prof = &pr
			}
			people[m.ApplicantID] = prof
		}
		out = append(out, MatchView{Match: m, Applicant: prof})
	}
	return out
}

func (u *UI) runRound(c echo.Context) error {
	id := c.Param("id")
	err := u.call(c, http.MethodPost, "/rounds/"+url.PathEscape(id)+"/run", nil, nil)
	if err != nil && statusOf(err) != http.StatusConflict {
		return err
	}
	done := "round_started"
	if err != nil {
		done = "round_refused"
	}
	return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done="+done)
}

// approveRound approves every proposed match of a completed round in one
// action (POST /rounds/{id}/approve), naming the count the page showed: a
// run since then changes it, and nothing is approved.
func (u *UI) approveRound(c echo.Context) error {
	id := c.Param("id")
	n, err := strconv.Atoi(c.FormValue("proposed"))
	if err != nil || n < 1 {
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=approve_all_refused")
	}
	body := apimatching.ApproveRoundRequest{Proposed: &n, Note: strings.TrimSpace(c.FormValue("note"))}
	err = u.call(c, http.MethodPost, "/rounds/"+url.PathEscape(id)+"/approve", body, nil)
	switch st := statusOf(err); {
	case err == nil:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=round_approved")
	case st == http.StatusConflict || st == http.StatusBadRequest || st == http.StatusUnprocessableEntity:
		var ae *APIError
		if errors.As(err, &ae) && ae.Problem.Code == "proposed_changed" {
			return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=approve_all_changed_refused")
		}
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=approve_all_refused")
	}
	return err
}

// ReportData is a round's outcome report with its charts.
type ReportData struct {
	Round  Round
	Report apimatching.Report
	Charts []Chart
}

func (u *UI) report(c echo.Context) error {
	id := c.Param("id")
	var r Round
	if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id), nil, &r); err != nil {
		return err
	}
	var rep apimatching.Report
	if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id)+"/report", nil, &rep); err != nil {
		return err
	}
	p := u.page(c, "report.title")
	p.TitleRaw = r.Name
	p.Data = ReportData{Round: r, Report: rep, Charts: reportCharts(p, rep)}
	return u.render(c, http.StatusOK, "report", p)
}

// --- Review -----------------------------------------------------------------

// ReviewData is the review queue.
type ReviewData struct {
	Matches []MatchView
}

func (u *UI) review(c echo.Context) error {
	return u.renderReview(c, http.StatusOK, newForm(nil))
}

func (u *UI) renderReview(c echo.Context, status int, f *Form) error {
	var res api.Page[Match]
	if err := u.call(c, http.MethodGet, "/matches?status=proposed&pageSize=100", nil, &res); err != nil {
		return err
	}
	p := u.page(c, "review.title")
	p.Form = f
	d := ReviewData{Matches: u.matchViews(c, res.Items)}
	for _, m := range d.Matches {
		p.nameProgram(m.Program)
	}
	p.Data = d
	return u.render(c, status, "review", p)
}

func (u *UI) approveMatch(c echo.Context) error {
	id := c.Param("id")
	body := apimatching.ApproveRequest{Note: strings.TrimSpace(c.FormValue("note"))}
	return u.decide(c, id, "approve", "match_approved", body, "note-"+id)
}

func (u *UI) rejectMatch(c echo.Context) error {
	id := c.Param("id")
	return u.decide(c, id, "reject", "match_rejected", apimatching.RejectRequest{Reason: c.FormValue("reason")}, "reason-"+id)
}

// approveMatches approves the matches ticked in the review queue, one
// request each: the queue shows at most a page of them. A match someone
// decided meanwhile is left as it is and counted.
func (u *UI) approveMatches(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	ids := form["id"]
	if len(ids) == 0 {
		return seeOther(c, "/coord/review?done=approve_none_refused")
	}
	note := apimatching.ApproveRequest{Note: strings.TrimSpace(form.Get("note"))}
	changed := 0
	for _, id := range ids {
		err := u.call(c, http.MethodPost, "/matches/"+url.PathEscape(id)+"/approve", note, nil)
		switch st := statusOf(err); {
		case err == nil:
		case st == http.StatusConflict || st == http.StatusNotFound:
			changed++
		default:
			return err
		}
	}
	if changed > 0 {
		return seeOther(c, "/coord/review?done=match_changed")
	}
	return seeOther(c, "/coord/review?done=matches_approved")
}

// decide approves or rejects a match; problems with the note or reason are
// shown next to that match's field in the queue; done names the notice
// of success.
func (u *UI) decide(c echo.Context, id, action, done string, body any, input string) error {
	err := u.call(c, http.MethodPost, "/matches/"+url.PathEscape(id)+"/"+action, body, nil)
	if err == nil {
		return seeOther(c, "/coord/review?done="+done)
	}
	f := newForm(url.Values{})
	var ae *APIError
	switch {
	case f.fromProblem(err, func(string) (string, string, bool) { return input, "review." + action + ".field", true }):
		f.Values.Set(input, c.FormValue(strings.SplitN(input, "-", 2)[0]))
	case errors.As(err, &ae) && ae.Status == http.StatusConflict:
		return seeOther(c, "/coord/review?done=match_changed")
	default:
		return err
	}
	return u.renderReview(c, http.StatusUnprocessableEntity, f)
}

// --- Audit and administration -----------------------------------------------

func (u *UI) adminUsers(c echo.Context) error {
	return u.renderUsers(c, http.StatusOK, newForm(nil))
}

func (u *UI) createCoordinator(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(v)
	body := apiidentity.CreateUserRequest{Email: strings.TrimSpace(v.Get("email")), Password: v.Get("password"), Name: v.Get("name"),
		Organization: strings.TrimSpace(v.Get("organization"))}
	err = u.call(c, http.MethodPost, "/auth/users", body, nil)
	switch {
	case err == nil:
		return seeOther(c, "/admin/users?done=coordinator_created")
	case f.fromProblem(err, simpleFields(map[string]string{"email": "signup.email", "password": "signup.password", "name": "signup.name", "organization": "signup.organization"})):
	case statusOf(err) == http.StatusConflict:
		f.add("email", "signup.email", "problem.email_taken", "")
	default:
		return err
	}
	f.Values.Del("password")
	return u.renderUsers(c, http.StatusUnprocessableEntity, f)
}
