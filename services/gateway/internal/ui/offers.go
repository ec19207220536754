package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// Offer deadlines, demand counts and vacancy rounds on the pages
// (DESIGN.md §3 "Rounds, policies and offers").

// Deadline is an offer's respondBy as a page shows it: in the reader's
// zone, in India and Japan time side by side, and the time left (written
// on the server; app.js counts it down where scripts run).
type Deadline struct {
	ISO    string
	Viewer string
	IST    string
	JST    string
	Left   string
	Lapsed bool
}

// Deadline describes t, or is nil when there is none.
func (p *Page) Deadline(t *time.Time) *Deadline {
	if t == nil || t.IsZero() {
		return nil
	}
	d := &Deadline{ISO: t.UTC().Format(time.RFC3339), Viewer: p.Time(*t),
		IST: t.In(ist).Format("2006-01-02 15:04") + " IST", JST: t.In(jst).Format("2006-01-02 15:04") + " JST"}
	left := time.Until(*t)
	if left <= 0 {
		d.Lapsed = true
		return d
	}
	mins := int(left.Round(time.Minute) / time.Minute)
	d.Left = p.T("offers.left", "D", mins/(24*60), "H", mins/60%24, "M", mins%60)
	return d
}

// respondByOf reads the publish form's deadline: a date and time in the
// reader's zone ("2027-04-01T17:00", as a datetime-local input sends it),
// or RFC 3339. Empty means the round's offer days.
func respondByOf(zone *time.Location, s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format(time.RFC3339), true
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, zone)
	if err != nil {
		return "", false
	}
	return t.Format(time.RFC3339), true
}

func (u *UI) publishRound(c echo.Context) error {
	id := c.Param("id")
	respondBy, ok := respondByOf(u.page(c, "round.title").Loc(), c.FormValue("respondBy"))
	if !ok {
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=respond_by_invalid")
	}
	var body any
	if respondBy != "" {
		body = apimatching.PublishRequest{RespondBy: respondBy}
	}
	err := u.call(c, http.MethodPost, "/rounds/"+url.PathEscape(id)+"/publish", body, nil)
	switch st := statusOf(err); {
	case err == nil:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=round_published")
	case st == http.StatusBadRequest || st == http.StatusUnprocessableEntity:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=respond_by_invalid")
	case st == http.StatusConflict:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done="+publishRefusal(err))
	}
	return err
}

// publishRefusal names the notice for a refused publish after what
// blocked it (the problem's code), so the page can say what to do.
func publishRefusal(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.Problem.Code {
		case "matches_undecided", "round_running", "round_not_run", "round_run_failed":
			return ae.Problem.Code
		case "round_published":
			return "round_already_published"
		}
	}
	return "round_refused"
}

// vacancyRound makes a vacancy round of a published round and shows it.
func (u *UI) vacancyRound(c echo.Context) error {
	id := c.Param("id")
	body := apimatching.VacancyRequest{Name: strings.TrimSpace(c.FormValue("name"))}
	if s := strings.TrimSpace(c.FormValue("offerDays")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=vacancy_invalid")
		}
		body.OfferDays = &n
	}
	var r Round
	err := u.call(c, http.MethodPost, "/rounds/"+url.PathEscape(id)+"/vacancy", body, &r)
	switch st := statusOf(err); {
	case err == nil:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(r.ID)+"?done=round_created")
	case st == http.StatusBadRequest || st == http.StatusUnprocessableEntity:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=vacancy_invalid")
	case st == http.StatusConflict:
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=vacancy_refused")
	}
	return err
}

// demand reads a round's demand counts; nil when the caller may not.
func (u *UI) demand(c echo.Context, roundID string) []apimatching.Demand {
	var d apimatching.DemandList
	if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(roundID)+"/demand", nil, &d); err != nil {
		return nil
	}
	return d.Items
}

// applicantDemand is the demand of the round named by ?round= or, without
// one, of the round of the applicant's latest match; nil when there is
// none or the applicant is not in it (the API answers 404).
func (u *UI) applicantDemand(c echo.Context, apps []Application) []apimatching.Demand {
	round := strings.TrimSpace(c.QueryParam("round"))
	for i := len(apps) - 1; round == "" && i >= 0; i-- {
		if m := apps[i].Match; m != nil {
			round = m.RoundID
		}
	}
	if round == "" || len(round) > 100 {
		return nil
	}
	return u.demand(c, round)
}
