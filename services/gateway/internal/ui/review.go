package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/api"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// Pages of application review (DESIGN.md §3 "Application review,
// interviews and messages"): the host's applications of a program with
// stage actions, the host's interview slots, and one page per application
// for all its parties with its stage, interview and message thread.

// reviewRoutes are the access-table rows of these pages.
func (u *UI) reviewRoutes(r func(m, p string, pol auth.Policy, h echo.HandlerFunc) auth.Route) []auth.Route {
	get, post := http.MethodGet, http.MethodPost
	return []auth.Route{
		r(get, "/host/programs/:id/applications", auth.HostsAndCoords, u.hostApplications),
		r(get, "/host/programs/:id/slots", auth.HostsAndCoords, u.hostSlots),
		r(post, "/host/programs/:id/slots", auth.HostsAndCoords, u.addSlot),
		r(post, "/host/programs/:id/slots/:slotId/delete", auth.HostsAndCoords, u.deleteSlot),
		r(post, "/host/applications/:id/stage", auth.HostsAndCoords, u.moveStage),
		r(get, "/applications/:id", apimatching.Parties, u.applicationPage),
		r(post, "/applications/:id/book", auth.Applicants, u.bookSlot),
		r(post, "/applications/:id/cancel", auth.Applicants, u.cancelSlot),
		r(post, "/applications/:id/messages", apimatching.Parties, u.postMessage),
		r(post, "/applications/:id/documents", auth.Applicants, u.attachDocuments),
		r(get, "/messages", auth.Applicants, u.messagesPage),
		r(post, "/host/programs/:id/message", auth.HostsAndCoords, u.bulkMessage),
	}
}

// PassReasons are the pass reason codes a host may choose.
var PassReasons = matchingev.PassReasonCodes

// HostApplicationsData is a program's applications as its host reviews them.
type HostApplicationsData struct {
	Program      programsev.Program
	Applications []apimatching.Review
	PassReasons  []string
	// Stages are the stages the bulk message form may pick its audience by.
	Stages []string
}

// bulkStages are the review stages a host may write to at once.
var bulkStages = []string{"submitted", "reviewing", "shortlisted", "not_shortlisted", "interview_scheduled", "interviewed"}

func (u *UI) hostApplications(c echo.Context) error {
	prog, res, err := programWith[apimatching.Review](u, c, "/applications")
	if err != nil {
		return err
	}
	p := u.page(c, "apprev.title")
	p.TitleRaw = p.ProgramTitle(prog)
	p.Data = HostApplicationsData{Program: prog, Applications: res.Items, PassReasons: PassReasons, Stages: bulkStages}
	return u.render(c, http.StatusOK, "host_applications", p)
}

// SlotsData is a program's interview slots.
type SlotsData struct {
	Program programsev.Program
	Slots   []apimatching.Slot
}

func (u *UI) hostSlots(c echo.Context) error {
	prog, res, err := programWith[apimatching.Slot](u, c, "/interview-slots")
	if err != nil {
		return err
	}
	p := u.page(c, "slots.title")
	p.TitleRaw = p.ProgramTitle(prog)
	p.Data = SlotsData{Program: prog, Slots: res.Items}
	return u.render(c, http.StatusOK, "host_slots", p)
}

// programWith loads the program named by the path's id and one page of
// what the API lists under it (sub: "/applications", "/interview-slots").
func programWith[T any](u *UI, c echo.Context, sub string) (programsev.Program, api.Page[T], error) {
	path := "/programs/" + url.PathEscape(c.Param("id"))
	var prog programsev.Program
	var res api.Page[T]
	if err := u.call(c, http.MethodGet, path, nil, &prog); err != nil {
		return prog, res, err
	}
	err := u.call(c, http.MethodGet, path+sub, nil, &res)
	return prog, res, err
}

// slotZones are the zones the slot form takes times in.
var slotZones = map[string]*time.Location{"IST": ist, "JST": jst, "UTC": time.UTC}

// addSlot adds one slot from the form: a day and time in IST, JST or UTC,
// a length in minutes, the mode and a location.
func (u *UI) addSlot(c echo.Context) error {
	id := c.Param("id")
	back := "/host/programs/" + url.PathEscape(id) + "/slots"
	zone, ok := slotZones[c.FormValue("zone")]
	start, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(c.FormValue("day"))+" "+strings.TrimSpace(c.FormValue("time")), zone)
	minutes, merr := strconv.Atoi(c.FormValue("minutes"))
	if !ok || err != nil || merr != nil || minutes <= 0 {
		return seeOther(c, back+"?done=slot_refused")
	}
	body := apimatching.SlotsRequest{Slots: []apimatching.SlotInput{{Start: start.UTC(), End: start.Add(time.Duration(minutes) * time.Minute).UTC(),
		Mode: c.FormValue("mode"), Location: strings.TrimSpace(c.FormValue("location"))}}}
	if err := u.call(c, http.MethodPost, "/programs/"+url.PathEscape(id)+"/interview-slots", body, nil); err != nil {
		if st := statusOf(err); st == http.StatusBadRequest || st == http.StatusConflict {
			return seeOther(c, back+"?done=slot_refused")
		}
		return err
	}
	return seeOther(c, back+"?done=slot_added")
}

// deleteSlot takes one of the program's slots back after the host
// confirmed it; a booked slot's interview is withdrawn by the API and the
// applicant told. Another host's program or slot is not found.
func (u *UI) deleteSlot(c echo.Context) error {
	id := c.Param("id")
	err := u.call(c, http.MethodDelete, "/programs/"+url.PathEscape(id)+"/interview-slots/"+url.PathEscape(c.Param("slotId")), nil, nil)
	if err != nil {
		return err
	}
	return seeOther(c, "/host/programs/"+url.PathEscape(id)+"/slots?done=slot_deleted")
}

// moveStage applies a host's stage action and returns to the
// application's page.
func (u *UI) moveStage(c echo.Context) error {
	id := c.Param("id")
	back := "/applications/" + url.PathEscape(id) + "?program=" + url.QueryEscape(c.FormValue("program"))
	action := c.FormValue("action")
	var body any = apimatching.StageRequest{Note: strings.TrimSpace(c.FormValue("note"))}
	switch action {
	case "review", "shortlist", "interviewed":
	case "pass":
		body = apimatching.PassRequest{ReasonCode: c.FormValue("reasonCode"), Reason: strings.TrimSpace(c.FormValue("reason")),
			Note: strings.TrimSpace(c.FormValue("note"))}
	default:
		return &APIError{Status: http.StatusNotFound}
	}
	if err := u.call(c, http.MethodPost, "/applications/"+url.PathEscape(id)+"/"+action, body, nil); err != nil {
		if st := statusOf(err); st == http.StatusBadRequest || st == http.StatusConflict {
			return seeOther(c, back+"&done=stage_refused")
		}
		return err
	}
	return seeOther(c, back+"&done=stage_saved")
}

// ApplicationPageData is one application for one of its parties: the
// applicant sees their stage, history and interview booking; the host of
// the program the statement, documents and stage actions; both the thread.
type ApplicationPageData struct {
	ID        string
	ProgramID string
	Own       *apimatching.Application
	Review    *apimatching.Review
	Slots     []apimatching.Slot
	Messages  []apimatching.Message
	Program   *programsev.Program
	Reasons   []string
	// Documents are the applicant's own documents and letters, for the
	// picker; Attached marks those the application lists.
	Documents []apidocs.Document
	Attached  map[string]bool
	// Titles names the documents of the application the host reads, where
	// the documents service already lets the host see them.
	Titles map[string]string
}

func (u *UI) applicationPage(c echo.Context) error {
	id := c.Param("id")
	p := u.page(c, "appview.title")
	d := ApplicationPageData{ID: id, Reasons: PassReasons}
	if p.User.Is(auth.RoleApplicant) {
		apps, err := u.myApplications(c)
		if err != nil {
			return err
		}
		for i := range apps {
			if apps[i].ID == id {
				d.Own = &apps[i].Application
			}
		}
		if d.Own == nil {
			return &APIError{Status: http.StatusNotFound}
		}
		d.ProgramID = d.Own.ProgramID
		var docs apidocs.Documents
		if err := u.call(c, http.MethodGet, "/documents/me", nil, &docs); err == nil {
			d.Documents = docs.Items
		}
		d.Attached = map[string]bool{}
		for _, id := range d.Own.DocumentIDs {
			d.Attached[id] = true
		}
		if d.Own.Stage == "shortlisted" {
			var slots api.Page[apimatching.Slot]
			if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(d.ProgramID)+"/interview-slots", nil, &slots); err == nil {
				d.Slots = slots.Items
			}
		}
	} else if pid := c.QueryParam("program"); pid != "" {
		var res api.Page[apimatching.Review]
		if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(pid)+"/applications", nil, &res); err != nil {
			return err
		}
		for i := range res.Items {
			if res.Items[i].ID == id {
				d.Review = &res.Items[i]
			}
		}
		d.ProgramID = pid
		if d.Review != nil {
			d.Titles = u.documentTitles(c, d.Review.DocumentIDs)
		}
	}
	var msgs api.Page[apimatching.Message]
	if err := u.call(c, http.MethodGet, "/applications/"+url.PathEscape(id)+"/messages", nil, &msgs); err != nil {
		return err
	}
	d.Messages = msgs.Items
	if d.ProgramID != "" {
		d.Program = u.programs(c, []string{d.ProgramID})[d.ProgramID]
		if d.Program != nil {
			p.TitleRaw = p.ProgramTitle(*d.Program)
		}
	}
	p.Data = d
	return u.render(c, http.StatusOK, "application", p)
}

// documentTitles asks the documents service for the title of each
// document an application lists; one it does not show yet (its access
// follows the application's events) keeps only its id on the page.
func (u *UI) documentTitles(c echo.Context, ids []string) map[string]string {
	titles := map[string]string{}
	for _, id := range ids {
		var doc apidocs.Document
		if err := u.call(c, http.MethodGet, "/documents/"+url.PathEscape(id), nil, &doc); err == nil && doc.Title != "" {
			titles[id] = doc.Title
		}
	}
	return titles
}

func (u *UI) applicationBack(c echo.Context, done string) error {
	to := "/applications/" + url.PathEscape(c.Param("id"))
	if pid := c.FormValue("program"); pid != "" {
		to += "?program=" + url.QueryEscape(pid) + "&done=" + done
	} else {
		to += "?done=" + done
	}
	return seeOther(c, to)
}

func (u *UI) bookSlot(c echo.Context) error {
	err := u.call(c, http.MethodPost, "/applications/"+url.PathEscape(c.Param("id"))+"/interview",
		apimatching.BookRequest{SlotID: c.FormValue("slotId")}, nil)
	switch {
	case err == nil:
		return u.applicationBack(c, "interview_booked")
	case statusOf(err) == http.StatusConflict || statusOf(err) == http.StatusBadRequest:
		return u.applicationBack(c, "interview_refused")
	}
	return err
}

func (u *UI) cancelSlot(c echo.Context) error {
	err := u.call(c, http.MethodDelete, "/applications/"+url.PathEscape(c.Param("id"))+"/interview", nil, nil)
	switch {
	case err == nil:
		return u.applicationBack(c, "interview_cancelled")
	case statusOf(err) == http.StatusConflict:
		return u.applicationBack(c, "interview_too_late")
	}
	return err
}

func (u *UI) postMessage(c echo.Context) error {
	err := u.call(c, http.MethodPost, "/applications/"+url.PathEscape(c.Param("id"))+"/messages",
		apimatching.MessageRequest{Body: c.FormValue("body")}, nil)
	switch {
	case err == nil:
		return u.applicationBack(c, "message_sent")
	case statusOf(err) == http.StatusBadRequest:
		return u.applicationBack(c, "message_refused")
	}
	return err
}

// attachDocuments saves the documents picked on the application page: the
// ticked boxes, none when all are unticked.
func (u *UI) attachDocuments(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	ids := form["doc"]
	if ids == nil {
		ids = []string{}
	}
	err = u.call(c, http.MethodPut, "/applications/"+url.PathEscape(c.Param("id"))+"/documents",
		apimatching.DocumentsRequest{DocumentIDs: ids}, nil)
	switch {
	case err == nil:
		return u.applicationBack(c, "documents_saved")
	case statusOf(err) == http.StatusBadRequest || statusOf(err) == http.StatusConflict:
		return u.applicationBack(c, "documents_refused")
	}
	return err
}

// MessagesData is the applicant's messages page: the thread of each of
// their applications and the messages sent to many at once.
type MessagesData struct {
	Threads []ThreadSummary
	Bulk    []apimatching.Message
}

// ThreadSummary is one application's thread on the messages page.
type ThreadSummary struct {
	ApplicationID string
	Title         string
	Messages      []apimatching.Message
}

func (u *UI) messagesPage(c echo.Context) error {
	apps, err := u.myApplications(c)
	if err != nil {
		return err
	}
	p := u.page(c, "messages.title")
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.ProgramID
	}
	progs := u.programs(c, ids)
	d := MessagesData{}
	for _, a := range apps {
		var msgs api.Page[apimatching.Message]
		if err := u.call(c, http.MethodGet, "/applications/"+url.PathEscape(a.ID)+"/messages", nil, &msgs); err != nil {
			return err
		}
		title := a.ProgramID
		if pr := progs[a.ProgramID]; pr != nil {
			title = p.ProgramTitle(*pr)
		}
		d.Threads = append(d.Threads, ThreadSummary{ApplicationID: a.ID, Title: title, Messages: msgs.Items})
	}
	var bulk api.Page[apimatching.Message]
	if err := u.call(c, http.MethodGet, "/messages/me", nil, &bulk); err != nil {
		return err
	}
	d.Bulk = bulk.Items
	p.Data = d
	return u.render(c, http.StatusOK, "messages", p)
}

// bulkMessage writes once to the program's applicants, all of them or
// those at one stage (DESIGN.md §3 audience: programId and stage).
func (u *UI) bulkMessage(c echo.Context) error {
	id := c.Param("id")
	back := "/host/programs/" + url.PathEscape(id) + "/applications"
	err := u.call(c, http.MethodPost, "/messages/bulk", apimatching.BulkRequest{
		Audience: apimatching.Audience{ProgramID: id, Stage: c.FormValue("stage")},
		Subject:  c.FormValue("subject"), Body: c.FormValue("body")}, nil)
	switch {
	case err == nil:
		return seeOther(c, back+"?done=bulk_sent")
	case statusOf(err) == http.StatusBadRequest:
		return seeOther(c, back+"?done=bulk_message_refused")
	}
	return err
}
