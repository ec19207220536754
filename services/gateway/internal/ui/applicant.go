package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/talentbridge/platform/shared/api"

	"github.com/labstack/echo/v4"
)

// RecommendationsData is the applicant's recommendations page.
type RecommendationsData struct {
	Items []Recommendation
	// NoProfile is set when the applicant has no profile yet.
	NoProfile bool
	// Applied holds the programs applied to.
	Applied map[string]bool
	// Documents are the applicant's documents, offered in each quick
	// Apply's picker as on the program page.
	Documents []apidocs.Document
	// Open lists published programs open for applications, closing
	// soonest first, when there is no recommendation to show, so the page
	// never reads as if there were no programs; OpenTotal counts them all.
	Open      []programsev.Program
	OpenTotal int
}

// openProgramsShown is how many open programs a page without
// recommendations lists before linking to the search.
const openProgramsShown = 5

func (u *UI) recommendations(c echo.Context) error {
	var res api.Page[Recommendation]
	d := RecommendationsData{Applied: map[string]bool{}}
	err := u.call(c, http.MethodGet, "/recommendations/me", nil, &res)
	switch {
	case err == nil:
	case statusOf(err) == http.StatusNotFound:
		d.NoProfile = true
	default:
		return err
	}
	ids := make([]string, len(res.Items))
	for i, r := range res.Items {
		ids[i] = r.ProgramID
	}
	progs := u.programs(c, ids)
	for _, r := range res.Items {
		if r.Program = progs[r.ProgramID]; r.Program != nil {
			d.Items = append(d.Items, r)
		}
	}
	if apps, err := u.myApplications(c); err == nil {
		for _, a := range apps {
			if a.Active() {
				d.Applied[a.ProgramID] = true
			}
		}
	}
	if len(d.Items) == 0 && !d.NoProfile {
		// Matching answers an empty list for someone it knows no profile
		// of; whether there is one is the profiles service's to say.
		var prof profilesev.Profile
		switch err := u.call(c, http.MethodGet, "/profiles/me", nil, &prof); {
		case statusOf(err) == http.StatusNotFound:
			d.NoProfile = true
		case err != nil:
			u.log.Warn("recommendations: read the profile", "err", err)
		}
	}
	if len(d.Items) == 0 {
		// Nothing to recommend (no profile, or none of the programs fits
		// it yet): still show what is open. The list is a help, so a
		// failed search leaves only the explanation.
		open, err := u.searchPrograms(c, "open=true&sort=deadline&pageSize="+strconv.Itoa(openProgramsShown))
		if err == nil {
			d.Open, d.OpenTotal = open.Items, open.Total
		} else {
			u.log.Warn("recommendations: list open programs", "err", err)
		}
	} else {
		// As on the program page, the picker is a convenience: without
		// the list each quick Apply still works.
		var docs apidocs.Documents
		if err := u.call(c, http.MethodGet, "/documents/me", nil, &docs); err == nil {
			d.Documents = docs.Items
		}
	}
	p := u.page(c, "recs.title")
	p.Data = d
	return u.render(c, http.StatusOK, "recommendations", p)
}

// apply sends an application and, when the applicant ticked documents in
// the program page's picker, attaches them to it straight away. Should the
// attaching fail, the application stands and its page says so, where the
// picker can be used again.
func (u *UI) apply(c echo.Context) error {
	id := c.Param("id")
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var created apimatching.Application
	err = u.call(c, http.MethodPost, "/applications", apimatching.ApplyRequest{ProgramID: id}, &created)
	switch {
	case err == nil:
	case statusOf(err) == http.StatusConflict:
		// Applied before: the applications page shows it.
		return seeOther(c, "/applications?done=applied_before")
	case statusOf(err) == http.StatusBadRequest || statusOf(err) == http.StatusUnprocessableEntity:
		// Not eligible, closed: the program page says why.
		return seeOther(c, "/programs/"+url.PathEscape(id)+"?done=apply_refused")
	default:
		return err
	}
	docs := form["doc"]
	if len(docs) == 0 || created.ID == "" {
		return seeOther(c, "/applications?done=applied")
	}
	err = u.call(c, http.MethodPut, "/applications/"+url.PathEscape(created.ID)+"/documents",
		apimatching.DocumentsRequest{DocumentIDs: docs}, nil)
	switch {
	case err == nil:
		return seeOther(c, "/applications?done=applied_with_documents")
	case statusOf(err) == http.StatusBadRequest || statusOf(err) == http.StatusConflict || statusOf(err) == http.StatusNotFound:
		return seeOther(c, "/applications/"+url.PathEscape(created.ID)+"?done=documents_refused")
	}
	return err
}

// ApplicationsData is the applicant's applications and rank list.
type ApplicationsData struct {
	Ranked    []Application
	Withdrawn []Application
	// Demand is the counts of a round the applicant takes part in
	// (?round=, else the round of their latest match), with the programs
	// it names.
	Demand   []apimatching.Demand
	Programs map[string]*programsev.Program
	// Accepted holds the programs whose offer the applicant accepted:
	// their applications are not offered for withdrawal.
	Accepted map[string]bool
	// Outcomes holds, per program, what the latest published round the
	// applicant ranked it in decided.
	Outcomes map[string]*ProgramOutcome
}

func (u *UI) applications(c echo.Context) error {
	apps, err := u.myApplications(c)
	if err != nil {
		return err
	}
	var d ApplicationsData
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.ProgramID
	}
	progs := u.programs(c, ids)
	for _, a := range apps {
		a.Program = progs[a.ProgramID]
		if a.Active() {
			d.Ranked = append(d.Ranked, a)
		} else {
			d.Withdrawn = append(d.Withdrawn, a)
		}
	}
	sortByRank(d.Ranked)
	d.Demand, d.Programs = u.applicantDemand(c, apps), progs
	var offers api.Page[Match]
	if err := u.call(c, http.MethodGet, "/matches/me", nil, &offers); err != nil {
		return err
	}
	d.Accepted = map[string]bool{}
	for _, m := range offers.Items {
		if m.Status == "accepted" {
			d.Accepted[m.ProgramID] = true
		}
	}
	d.Outcomes = outcomesByProgram(u.myRounds(c))
	p := u.page(c, "apps.title")
	p.Data = d
	return u.render(c, http.StatusOK, "applications", p)
}

// sortByRank puts ranked applications first, in rank order; the others
// keep the API's order.
func sortByRank(apps []Application) {
	slices.SortStableFunc(apps, func(a, b Application) int {
		switch {
		case a.Rank > 0 && b.Rank > 0:
			return a.Rank - b.Rank
		case a.Rank > 0:
			return -1
		case b.Rank > 0:
			return 1
		}
		return 0
	})
}

// moveApplication moves one program up or down the rank list and saves
// the whole list.
func (u *UI) moveApplication(c echo.Context) error {
	apps, err := u.myApplications(c)
	if err != nil {
		return err
	}
	var live []Application
	for _, a := range apps {
		if a.Active() {
			live = append(live, a)
		}
	}
	sortByRank(live)
	ids := make([]string, len(live))
	for i, a := range live {
		ids[i] = a.ProgramID
	}
	ids = move(ids, c.FormValue("programId"), c.FormValue("dir"), c.FormValue("place"))
	if err := u.call(c, http.MethodPut, "/applications/me/ranking", apimatching.RankingRequest{ProgramIDs: ids}, nil); err != nil {
		return err
	}
	return seeOther(c, "/applications?done=ranking_saved")
}

// move moves id one place up or down in ids, or (dir "to") straight to
// place (1 is the first choice), shifting the ones between; anything else
// leaves ids as they are.
func move(ids []string, id, dir, place string) []string {
	i := slices.Index(ids, id)
	to := i
	switch {
	case i < 0:
		return ids
	case dir == "up":
		to = i - 1
	case dir == "down":
		to = i + 1
	case dir == "to":
		if n, err := strconv.Atoi(place); err == nil {
			to = n - 1
		}
	}
	if to < 0 || to >= len(ids) || to == i {
		return ids
	}
	ids = slices.Delete(ids, i, i+1)
	return slices.Insert(ids, to, id)
}

func (u *UI) withdraw(c echo.Context) error {
	if err := u.call(c, http.MethodDelete, "/applications/"+url.PathEscape(c.Param("id")), nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/applications?done=withdrawn")
}

// OffersData is the applicant's offers.
type OffersData struct {
	Offers []Match
	// Unmatched are the published rounds the applicant took part in that
	// offered them nothing, newest first; Published counts every
	// published round they were in, so the page says "not published yet"
	// only when none is.
	Unmatched []apimatching.RoundOutcome
	Published int
}

func (u *UI) offers(c echo.Context) error {
	var res api.Page[Match]
	if err := u.call(c, http.MethodGet, "/matches/me", nil, &res); err != nil {
		return err
	}
	ids := make([]string, len(res.Items))
	for i, m := range res.Items {
		ids[i] = m.ProgramID
	}
	progs := u.programs(c, ids)
	var d OffersData
	p := u.page(c, "offers.title")
	for _, m := range res.Items {
		m.Program = progs[m.ProgramID]
		p.nameProgram(m.Program)
		d.Offers = append(d.Offers, m)
	}
	outcomes := u.myRounds(c)
	d.Published = len(outcomes)
	for _, o := range outcomes {
		if !o.Matched {
			d.Unmatched = append(d.Unmatched, o)
		}
	}
	p.Data = d
	return u.render(c, http.StatusOK, "offers", p)
}

// myRounds returns the published rounds the applicant took part in, or
// none when the matching service cannot say: the pages then show what
// they know without the outcomes.
func (u *UI) myRounds(c echo.Context) []apimatching.RoundOutcome {
	var res apimatching.RoundOutcomes
	if err := u.call(c, http.MethodGet, "/rounds/me", nil, &res); err != nil {
		u.log.Warn("list the applicant's rounds", "err", err)
		return nil
	}
	return res.Items
}

// outcomesByProgram gives, for each program an applicant took into a
// published round, the outcome of the latest such round (outcomes come
// newest first).
func outcomesByProgram(outcomes []apimatching.RoundOutcome) map[string]*ProgramOutcome {
	out := map[string]*ProgramOutcome{}
	for _, o := range outcomes {
		for _, id := range o.Choices {
			if _, seen := out[id]; !seen {
				out[id] = &ProgramOutcome{Round: o.Name, Offered: o.Matched && o.ProgramID == id}
			}
		}
	}
	return out
}

// ProgramOutcome is what a published round decided about one program an
// applicant ranked: offered to them, or not.
type ProgramOutcome struct {
	Round   string
	Offered bool
}

func (u *UI) acceptOffer(c echo.Context) error {
	if err := u.call(c, http.MethodPost, "/matches/"+url.PathEscape(c.Param("id"))+"/accept", nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/offers?done=offer_accepted")
}

func (u *UI) declineOffer(c echo.Context) error {
	if err := u.call(c, http.MethodPost, "/matches/"+url.PathEscape(c.Param("id"))+"/decline", nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/offers?done=offer_declined")
}

// --- Notifications and account --------------------------------------------

// NotificationsData is the inbox page.
type NotificationsData struct {
	Items  []NoteView
	Unread int64
}

// NoteView is a notification as shown.
type NoteView struct {
	apiidentity.Notification
	Message template.HTML
	// Href is the notification's link when it is a page of this site.
	Href string
}

func (u *UI) notifications(c echo.Context) error {
	var res apiidentity.NotificationPage
	if err := u.call(c, http.MethodGet, "/notifications/me?pageSize=50", nil, &res); err != nil {
		return err
	}
	p := u.page(c, "notes.title")
	d := NotificationsData{Unread: res.Unread}
	for _, n := range res.Items {
		v := NoteView{Notification: n, Href: localPath(n.Link, "")}
		id := "notify." + n.Code
		if u.cat.has(p.Lang, id) {
			v.Message = p.H(id, "Program", Raw(n.Params["program"]), "Round", Raw(n.Params["round"]),
				"Host", Raw(n.Params["host"]), "Reason", Raw(n.Params["reason"]), "Count", Raw(n.Params["count"]))
		} else {
			v.Message = template.HTML(`<span lang="en">` + template.HTMLEscapeString(n.Text) + `</span>`)
		}
		d.Items = append(d.Items, v)
	}
	p.Data = d
	return u.render(c, http.StatusOK, "notifications", p)
}

func (u *UI) markRead(c echo.Context) error {
	if err := u.call(c, http.MethodPost, "/notifications/"+url.PathEscape(c.Param("id"))+"/read", nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/notifications")
}

func (u *UI) account(c echo.Context) error {
	p := u.page(c, "account.title")
	p.Form = newForm(nil)
	return u.render(c, http.StatusOK, "account", p)
}

// export downloads everything the platform holds about the user.
func (u *UI) export(c echo.Context) error {
	res, err := u.send(c, http.MethodGet, "/profiles/me/export", nil)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="talentbridge-export.json"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, res.Body)
}

func (u *UI) deleteAccount(c echo.Context) error {
	if c.FormValue("confirm") != "yes" {
		p := u.page(c, "account.title")
		p.Form = newForm(nil)
		p.Form.add("confirm", "account.delete.confirm", "problem.confirm", "")
		return u.render(c, http.StatusUnprocessableEntity, "account", p)
	}
	if err := u.call(c, http.MethodDelete, "/auth/me", nil, nil); err != nil {
		return err
	}
	u.sessions.Clear(c)
	return seeOther(c, "/?done=account_deleted")
}
