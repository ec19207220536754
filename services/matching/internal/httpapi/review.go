package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// The routes of application review, interviews and messages (DESIGN.md §3).

// reviewTable is the access table of these routes.
func (h *Handlers) reviewTable() []auth.Route {
	r := apimatching.Routes
	stage := func(summary string) *auth.Doc {
		return &auth.Doc{Summary: summary, Request: apimatching.StageRequest{}, RequestOptional: true,
			Response: apimatching.Review{}, Errors: []int{409}}
	}
	return []auth.Route{
		r.ProgramApplications.Serve(h.programApplications, &auth.Doc{Summary: "The program's applications with statements, documents and stages",
			Response: api.Page[apimatching.Review]{}}),
		r.Review.Serve(h.moveStage(domain.StageReviewing), stage("Start reviewing an application")),
		r.Shortlist.Serve(h.moveStage(domain.StageShortlisted), stage("Shortlist an application")),
		r.Pass.Serve(h.pass, &auth.Doc{Summary: "Pass an application over, with the reason the applicant is shown",
			Request: apimatching.PassRequest{}, Response: apimatching.Review{}, Errors: []int{409}}),
		r.Interviewed.Serve(h.moveStage(domain.StageInterviewed), stage("Record that the interview took place")),
		r.Documents.Serve(h.setDocuments, &auth.Doc{Summary: "Attach documents to one of the caller's applications",
			Request: apimatching.DocumentsRequest{}, Response: apimatching.Application{}, Errors: []int{409}}),
		r.AddSlots.Serve(h.addSlots, &auth.Doc{Summary: "Offer interview slots for a program", Request: apimatching.SlotsRequest{},
			Status: http.StatusCreated, Response: api.Page[apimatching.Slot]{}}),
		r.Slots.Serve(h.slots, &auth.Doc{Summary: "A program's interview slots (all for its host; free ones for shortlisted applicants)",
			Response: api.Page[apimatching.Slot]{}}),
		r.CancelSlot.Serve(h.cancelSlot, &auth.Doc{Summary: "Cancel an interview slot; a booked one's interview is withdrawn and the applicant told",
			Status: http.StatusNoContent}),
		r.Book.Serve(h.book, &auth.Doc{Summary: "Book an interview slot for a shortlisted application", Request: apimatching.BookRequest{},
			Response: apimatching.Application{}, Errors: []int{409}}),
		r.CancelBooking.Serve(h.cancelBooking, &auth.Doc{Summary: "Cancel the interview (until 24 h before it)",
			Response: apimatching.Application{}, Errors: []int{409}}),
		r.InterviewICS.Serve(h.interviewICS, &auth.Doc{Summary: "The booked interview as an iCalendar file (RFC 5545)"}),
		r.Messages.Serve(h.thread, &auth.Doc{Summary: "The application's message thread", Response: api.Page[apimatching.Message]{}}),
		r.PostMessage.Serve(h.postMessage, &auth.Doc{Summary: "Write in the application's thread", Request: apimatching.MessageRequest{},
			Status: http.StatusCreated, Response: apimatching.Message{}}),
		r.BulkMessage.Serve(h.bulk, &auth.Doc{Summary: "Write once to everyone an audience picks", Request: apimatching.BulkRequest{},
			Status: http.StatusCreated, Response: apimatching.BulkResult{}}),
		r.MyMessages.Serve(h.myMessages, &auth.Doc{Summary: "Bulk messages that reached the caller", Response: api.Page[apimatching.Message]{}}),
	}
}

// bindOptional decodes a body when one was sent.
func bindOptional(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return web.Bind(c, v)
}

func (h *Handlers) moveStage(stage string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "application")
		if err != nil {
			return err
		}
		var req apimatching.StageRequest
		if err := bindOptional(c, &req); err != nil {
			return err
		}
		note, err := domain.Note(req.Note)
		if err != nil {
			return err
		}
		a, err := h.App.MoveStage(c.Request().Context(), caller(c), id, stage, domain.StageChange{Note: note})
		if err != nil {
			return err
		}
		return private(c, http.StatusOK, reviewOf(app.ReviewView{Application: *a}))
	}
}

func (h *Handlers) pass(c echo.Context) error {
	id, err := pathID(c, "application")
	if err != nil {
		return err
	}
	var req apimatching.PassRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	ch, err := domain.PassReason(req.ReasonCode, req.Reason, req.Note)
	if err != nil {
		return err
	}
	a, err := h.App.MoveStage(c.Request().Context(), caller(c), id, domain.StageNotShortlisted, ch)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, reviewOf(app.ReviewView{Application: *a}))
}

func (h *Handlers) programApplications(c echo.Context) error {
	return onID(c, "program", http.StatusOK, func(ctx context.Context, cl app.Caller, id string) (any, error) {
		views, err := h.App.ProgramApplications(ctx, cl, id)
		return onePage(views, reviewOf), err
	})
}

func (h *Handlers) setDocuments(c echo.Context) error {
	return onIDWith(c, "application", http.StatusOK, func(ctx context.Context, cl app.Caller, id string, req apimatching.DocumentsRequest) (any, error) {
		return applicationResult(h.App.SetDocuments(ctx, cl, id, req.DocumentIDs))
	})
}

func (h *Handlers) addSlots(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	var req apimatching.SlotsRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	in := make([]domain.SlotInput, len(req.Slots))
	for i, s := range req.Slots {
		in[i] = domain.SlotInput{Start: s.Start, End: s.End, Mode: s.Mode, Location: s.Location}
	}
	slots, err := h.App.AddSlots(c.Request().Context(), caller(c), id, in)
	if err != nil {
		return err
	}
	return private(c, http.StatusCreated, onePage(slots, func(s domain.Slot) apimatching.Slot { return slotOf(s, true) }))
}

func (h *Handlers) cancelSlot(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	slotID := c.Param("slotId")
	if slotID == "" || len(slotID) > maxIDLen {
		return web.NotFound("slot")
	}
	if err := h.App.CancelSlot(c.Request().Context(), caller(c), id, slotID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handlers) slots(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	v, err := h.App.Slots(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, onePage(v.Slots, func(s domain.Slot) apimatching.Slot { return slotOf(s, v.Own) }))
}

func (h *Handlers) book(c echo.Context) error {
	return onIDWith(c, "application", http.StatusOK, func(ctx context.Context, cl app.Caller, id string, req apimatching.BookRequest) (any, error) {
		if req.SlotID == "" || len(req.SlotID) > maxIDLen {
			return nil, web.Invalid(fielderr.NewRequired("slotId"))
		}
		return applicationResult(h.App.Book(ctx, cl, id, req.SlotID))
	})
}

func (h *Handlers) cancelBooking(c echo.Context) error {
	return onID(c, "application", http.StatusOK, func(ctx context.Context, cl app.Caller, id string) (any, error) {
		return applicationResult(h.App.CancelBooking(ctx, cl, id))
	})
}

func (h *Handlers) thread(c echo.Context) error {
	return onID(c, "application", http.StatusOK, func(ctx context.Context, cl app.Caller, id string) (any, error) {
		msgs, err := h.App.Thread(ctx, cl, id)
		return onePage(msgs, messageOf), err
	})
}

func (h *Handlers) postMessage(c echo.Context) error {
	return onIDWith(c, "application", http.StatusCreated, func(ctx context.Context, cl app.Caller, id string, req apimatching.MessageRequest) (any, error) {
		m, err := h.App.PostMessage(ctx, cl, id, req.Body)
		if err != nil {
			return nil, err
		}
		return messageOf(*m), nil
	})
}

func (h *Handlers) bulk(c echo.Context) error {
	var req apimatching.BulkRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	a := req.Audience
	m, err := h.App.Bulk(c.Request().Context(), caller(c),
		domain.Audience{RoundID: a.RoundID, ProgramID: a.ProgramID, Stage: a.Stage, MatchStatus: a.MatchStatus}, req.Subject, req.Body)
	if err != nil {
		return err
	}
	return private(c, http.StatusCreated, apimatching.BulkResult{MessageID: m.ID, Recipients: len(m.RecipientIDs)})
}

func (h *Handlers) myMessages(c echo.Context) error {
	msgs, err := h.App.MyMessages(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, onePage(msgs, messageOf))
}

// --- responses ---

// stagesOf maps a history; private notes are kept only for the host and
// coordinators (withNotes).
func stagesOf(hs []domain.StageChange, withNotes bool) []apimatching.StageChange {
	out := make([]apimatching.StageChange, len(hs))
	for i, h := range hs {
		out[i] = apimatching.StageChange{Stage: h.Stage, At: h.At, By: h.By, ByRole: h.ByRole, ReasonCode: h.ReasonCode, Reason: h.Reason}
		if withNotes {
			out[i].Note = h.Note
		}
	}
	return out
}

func bookingOf(b *domain.Booking) *apimatching.Booking {
	if b == nil {
		return nil
	}
	return &apimatching.Booking{SlotID: b.SlotID, Start: b.Start, End: b.End, Mode: b.Mode, Location: b.Location}
}

func reviewOf(v app.ReviewView) apimatching.Review {
	a := v.Application
	out := apimatching.Review{ID: a.ID, ProgramID: a.ProgramID, ApplicantID: a.ApplicantID, DocumentIDs: nonNil(a.DocumentIDs),
		Stage: a.StageOf(), History: stagesOf(a.History, true), Interview: bookingOf(a.Interview), SubmittedAt: a.SubmittedAt,
		ProgramTitle: v.ProgramTitle}
	if p := v.Profile; p != nil {
		out.Name, out.Institution, out.HomeCountry, out.Statement = p.Name, p.Institution, p.HomeCountry, p.Statement
	}
	return out
}

func slotOf(s domain.Slot, own bool) apimatching.Slot {
	out := apimatching.Slot{ID: s.ID, ProgramID: s.ProgramID, Start: s.Start, End: s.End, Mode: s.Mode, Location: s.Location,
		Booked: !s.Free()}
	if own || !s.Free() {
		out.ApplicationID, out.ApplicantID, out.BookedAt = s.ApplicationID, s.ApplicantID, timePtr(s.BookedAt)
	}
	return out
}

func messageOf(m domain.Message) apimatching.Message {
	return apimatching.Message{ID: m.ID, ApplicationID: m.ApplicationID, ProgramID: m.ProgramID, AuthorID: m.AuthorID,
		AuthorRole: m.AuthorRole, Subject: m.Subject, Body: m.Body, Erased: m.Erased, SentAt: m.SentAt}
}

// onID serves a route on one object named by the path's id: do gets the
// caller and the id, and its result is answered with status, never
// cached. Its error is answered instead.
func onID(c echo.Context, what string, status int, do func(context.Context, app.Caller, string) (any, error)) error {
	id, err := pathID(c, what)
	if err != nil {
		return err
	}
	out, err := do(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	return private(c, status, out)
}

// onIDWith is onID for a route that takes a JSON body too.
func onIDWith[Req any](c echo.Context, what string, status int, do func(context.Context, app.Caller, string, Req) (any, error)) error {
	return onID(c, what, status, func(ctx context.Context, cl app.Caller, id string) (any, error) {
		var req Req
		if err := web.Bind(c, &req); err != nil {
			return nil, err
		}
		return do(ctx, cl, id, req)
	})
}

// applicationResult answers a use case's application as its applicant
// sees it.
func applicationResult(a *domain.Application, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return applicationOf(app.ApplicationView{Application: *a}), nil
}
