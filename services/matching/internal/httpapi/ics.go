package httpapi

import (
	"net/http"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/app"
)

// icsDomain makes interview UIDs globally unique (RFC 5545 §3.8.4.7).
const icsDomain = "talentbridge.interview"

// interviewCalendar writes a booked interview as an RFC 5545 calendar with
// one event. Its UID is the same for every download of the same booking
// (application and slot), so a calendar replaces rather than repeats it;
// DTSTAMP is the time of the booking; DTSTART and DTEND are in UTC.
func interviewCalendar(v *app.InterviewView) string {
	b := v.Booking
	cal := ics.NewCalendarFor("TalentBridge")
	cal.SetMethod(ics.MethodPublish)
	ev := cal.AddEvent(v.Application.ID + "-" + b.SlotID + "@" + icsDomain)
	stamp := b.Start
	if n := len(v.Application.History); n > 0 {
		stamp = v.Application.History[n-1].At
	}
	ev.SetDtStampTime(stamp.UTC())
	ev.SetStartAt(b.Start.UTC())
	ev.SetEndAt(b.End.UTC())
	title := v.Program.Title
	if title == "" {
		title = v.Program.ID
	}
	ev.SetSummary("Interview: " + title)
	loc := b.Location
	if loc == "" {
		loc = b.Mode
	}
	ev.SetLocation(loc)
	ev.SetDescription(strings.TrimSpace("TalentBridge interview (" + b.Mode + ") for application " + v.Application.ID))
	return cal.Serialize()
}

func (h *Handlers) interviewICS(c echo.Context) error {
	id, err := pathID(c, "application")
	if err != nil {
		return err
	}
	v, err := h.App.Interview(c.Request().Context(), caller(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="interview.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(interviewCalendar(v)))
}
