package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// Pages of the placements service (DESIGN.md §3 "Placements", §8): the
// participant's placements and each placement's checklist, the host's
// placements, the coordinators' at-risk list, and the forms that mark a
// task done, complete or end a placement and leave feedback.

// PlacementView is a placement with its program, when the caller may see
// it.
type PlacementView struct {
	apiplacements.Placement
	Program *programsev.Program
}

// PlacementsData is a list page. Scope is "mine" (the participant), "host"
// or "risk" (coordinators: placements with overdue tasks).
type PlacementsData struct {
	Scope string
	Items []PlacementView
}

// PlacementData is one placement's page. Party is the reader's side:
// applicant, host or coordinator.
type PlacementData struct {
	Placement PlacementView
	Tasks     []apiplacements.Task
	Party     string
	// CanFinish: the reader may complete or end it now; CanFeedback: may
	// leave feedback now (finished, not given yet).
	CanFinish, CanFeedback bool
	// Visa is the visa pathway; nil when it could not be had. Facts are
	// what the reader gave to refine its points estimate.
	Visa  *apiplacements.VisaResponse
	Facts VisaFacts
}

// MayDo reports whether the reader may mark t done.
func (d PlacementData) MayDo(t apiplacements.Task) bool {
	finished := d.Placement.Status == apiplacements.StatusCompleted || d.Placement.Status == apiplacements.StatusEnded
	return !finished && t.Status == apiplacements.TaskOpen && (d.Party == t.Party || d.Party == "coordinator")
}

// TaskTitle is a task's title in the page's language.
func (p *Page) TaskTitle(t apiplacements.Task) string {
	if s := t.Titles[p.Lang]; s != "" {
		return s
	}
	return t.Title
}

// placementRoutes are the access-table rows of these pages.
func (u *UI) placementRoutes(r func(m, p string, pol auth.Policy, h echo.HandlerFunc) auth.Route) []auth.Route {
	get, post := http.MethodGet, http.MethodPost
	return []auth.Route{
		r(get, "/placements", auth.Applicants, u.myPlacements),
		r(get, "/host/placements", auth.Hosts, u.hostPlacements),
		r(get, "/coord/placements", auth.Coordinators, u.atRiskPlacements),
		r(get, "/placements/:id", auth.SignedIn, u.placementPage),
		r(post, "/placements/:id/tasks/:taskId/done", auth.SignedIn, u.placementTaskDone),
		r(post, "/placements/:id/complete", auth.HostsAndCoords, u.completePlacement),
		r(post, "/placements/:id/end", auth.HostsAndCoords, u.endPlacement),
		r(post, "/placements/:id/feedback", apiplacements.ApplicantsAndHosts, u.placementFeedback),
	}
}

// withPrograms names each placement's program.
func (u *UI) withPrograms(c echo.Context, p *Page, ps []apiplacements.Placement) []PlacementView {
	ids := make([]string, len(ps))
	for i, pl := range ps {
		ids[i] = pl.ProgramID
	}
	progs := u.programs(c, ids)
	out := make([]PlacementView, len(ps))
	for i, pl := range ps {
		out[i] = PlacementView{Placement: pl, Program: progs[pl.ProgramID]}
		p.nameProgram(out[i].Program)
	}
	return out
}

func (u *UI) placementList(c echo.Context, scope, path, title string) error {
	var res apiplacements.Placements
	if err := u.call(c, http.MethodGet, path, nil, &res); err != nil {
		return err
	}
	p := u.page(c, title)
	p.Data = PlacementsData{Scope: scope, Items: u.withPrograms(c, p, res.Items)}
	return u.render(c, http.StatusOK, "placements", p)
}

func (u *UI) myPlacements(c echo.Context) error {
	return u.placementList(c, "mine", "/placements/me?pageSize=100", "place.mine.title")
}

func (u *UI) hostPlacements(c echo.Context) error {
	return u.placementList(c, "host", "/placements?pageSize=100", "place.host.title")
}

func (u *UI) atRiskPlacements(c echo.Context) error {
	return u.placementList(c, "risk", "/placements?status="+apiplacements.StatusAtRisk+"&pageSize=100", "place.risk.title")
}

func (u *UI) placementPage(c echo.Context) error {
	id := url.PathEscape(c.Param("id"))
	var pl apiplacements.Placement
	if err := u.call(c, http.MethodGet, "/placements/"+id, nil, &pl); err != nil {
		return err
	}
	var tasks apiplacements.Tasks
	if err := u.call(c, http.MethodGet, "/placements/"+id+"/tasks", nil, &tasks); err != nil {
		return err
	}
	p := u.page(c, "place.title")
	views := u.withPrograms(c, p, []apiplacements.Placement{pl})
	d := PlacementData{Placement: views[0], Tasks: tasks.Items}
	d.Visa, d.Facts = u.placementVisa(c, id)
	cl, _ := auth.FromContext(c)
	switch {
	case cl.UserID() == pl.ApplicantID:
		d.Party = "applicant"
	case cl.UserID() == pl.HostID:
		d.Party = "host"
	default:
		d.Party = "coordinator"
	}
	finished := pl.Status == apiplacements.StatusCompleted || pl.Status == apiplacements.StatusEnded
	d.CanFinish = !finished && d.Party != "applicant"
	if finished && d.Party != "coordinator" {
		d.CanFeedback = true
		for _, f := range pl.Feedback {
			if f.Party == d.Party {
				d.CanFeedback = false
			}
		}
	}
	p.Data = d
	return u.render(c, http.StatusOK, "placement", p)
}

// afterPlacement goes back to the placement's page with a notice: done on
// success, refused when the service said no (403, 404, 409), invalid for a
// form it found wrong (400).
func afterPlacement(c echo.Context, err error, done, invalid string) error {
	to := "/placements/" + url.PathEscape(c.Param("id")) + "?done="
	switch st := statusOf(err); {
	case err == nil:
		return seeOther(c, to+done)
	case st == http.StatusBadRequest:
		return seeOther(c, to+invalid)
	case st == http.StatusForbidden || st == http.StatusNotFound || st == http.StatusConflict:
		return seeOther(c, to+"place_refused")
	}
	return err
}

func (u *UI) placementTaskDone(c echo.Context) error {
	path := "/placements/" + url.PathEscape(c.Param("id")) + "/tasks/" + url.PathEscape(c.Param("taskId")) + "/done"
	err := u.call(c, http.MethodPost, path, apiplacements.TaskDoneRequest{Note: strings.TrimSpace(c.FormValue("note"))}, nil)
	return afterPlacement(c, err, "place_task_done", "place_note_invalid")
}

func (u *UI) completePlacement(c echo.Context) error {
	err := u.call(c, http.MethodPost, "/placements/"+url.PathEscape(c.Param("id"))+"/complete", nil, nil)
	return afterPlacement(c, err, "place_completed", "place_refused")
}

func (u *UI) endPlacement(c echo.Context) error {
	body := apiplacements.EndRequest{Reason: strings.TrimSpace(c.FormValue("reason"))}
	err := u.call(c, http.MethodPost, "/placements/"+url.PathEscape(c.Param("id"))+"/end", body, nil)
	return afterPlacement(c, err, "place_ended", "place_reason_required")
}

func (u *UI) placementFeedback(c echo.Context) error {
	rating, err := strconv.Atoi(c.FormValue("rating"))
	if err != nil {
		rating = 0 // the service refuses it with its own rule
	}
	body := apiplacements.FeedbackRequest{Rating: rating, Comment: strings.TrimSpace(c.FormValue("comment"))}
	err = u.call(c, http.MethodPost, "/placements/"+url.PathEscape(c.Param("id"))+"/feedback", body, nil)
	return afterPlacement(c, err, "place_feedback_saved", "place_feedback_invalid")
}
