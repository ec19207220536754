package ui

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"

	"github.com/labstack/echo/v4"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/web"
)

// EligibilityRows is how many language requirements the program form
// offers.
const EligibilityRows = 3

// HostProgramsData is the host's list of programs.
type HostProgramsData struct {
	Programs []programsev.Program
}

func (u *UI) hostPrograms(c echo.Context) error {
	res, err := u.searchPrograms(c, "mine=true&pageSize=100")
	if err != nil {
		return err
	}
	p := u.page(c, "host.title")
	p.Data = HostProgramsData{Programs: res.Items}
	return u.render(c, http.StatusOK, "host_programs", p)
}

// ProgramFormData is the program form.
type ProgramFormData struct {
	// ID is empty for a new program.
	ID     string
	Status string
	Locked bool
	Rows   []int
}

func (u *UI) newProgramForm(c echo.Context) error {
	p := u.page(c, "pform.new")
	v := url.Values{}
	if p.User != nil {
		var me apiidentity.UserResponse
		if err := u.call(c, http.MethodGet, "/auth/me", nil, &me); err == nil {
			v.Set("hostOrg", me.Organization)
		}
	}
	v.Set("seats", "1")
	p.Form = newForm(v)
	p.Data = ProgramFormData{Rows: seqN(EligibilityRows)}
	return u.render(c, http.StatusOK, "program_form", p)
}

func (u *UI) editProgramForm(c echo.Context) error {
	var prog programsev.Program
	if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(c.Param("id")), nil, &prog); err != nil {
		return err
	}
	p := u.page(c, "pform.edit")
	if !p.User.Is(auth.RoleHost) || prog.HostID != p.User.ID {
		// Another host's program: as good as missing.
		return &APIError{Status: http.StatusNotFound}
	}
	p.TitleRaw = prog.Title
	p.Form = newForm(programValues(prog))
	p.Data = ProgramFormData{ID: prog.ID, Status: prog.Status, Locked: prog.Locked, Rows: seqN(EligibilityRows)}
	return u.render(c, http.StatusOK, "program_form", p)
}

func (u *UI) createProgram(c echo.Context) error { return u.saveProgram(c, "") }

func (u *UI) updateProgram(c echo.Context) error { return u.saveProgram(c, c.Param("id")) }

func (u *UI) saveProgram(c echo.Context, id string) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(v)
	body := programFromForm(v, f)
	if !f.HasErrors() {
		var saved programsev.Program
		if id == "" {
			err = u.call(c, http.MethodPost, "/programs", body, &saved)
		} else {
			err = u.call(c, http.MethodPut, "/programs/"+url.PathEscape(id), body, &saved)
		}
		switch {
		case err == nil:
			if id == "" && v.Get("publish") == "on" {
				if err := u.call(c, http.MethodPost, "/programs/"+url.PathEscape(saved.ID)+"/publish", nil, nil); err != nil {
					return u.programRefused(c, err)
				}
				return seeOther(c, "/host/programs?done=program_published")
			}
			return seeOther(c, "/host/programs?done=program_saved")
		case f.fromProblem(err, programField):
		case statusOf(err) == http.StatusForbidden || statusOf(err) == http.StatusConflict:
			var ae *APIError
			errors.As(err, &ae)
			key := "problem." + ae.Problem.Code
			if !u.cat.has(u.lang(c), key) {
				key = "problem.invalid"
			}
			f.add("", "field.other", key, ae.Problem.Detail)
		default:
			return err
		}
	}
	title := "pform.new"
	if id != "" {
		title = "pform.edit"
	}
	p := u.page(c, title)
	p.Form = f
	p.Data = ProgramFormData{ID: id, Status: v.Get("status"), Rows: seqN(EligibilityRows)}
	return u.render(c, http.StatusUnprocessableEntity, "program_form", p)
}

// programRefused shows why a publish or close was refused, on the host's
// list of programs; a program that is not the caller's stays a 404.
func (u *UI) programRefused(c echo.Context, err error) error {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status >= 500 || ae.Status == http.StatusNotFound || ae.Status == http.StatusUnauthorized {
		return err
	}
	code := ae.Problem.Code
	if !u.cat.has(u.lang(c), "notice.refused_"+code) {
		code = "invalid"
	}
	return seeOther(c, "/host/programs?done=refused_"+code)
}

func (u *UI) publishProgram(c echo.Context) error {
	id := c.Param("id")
	if err := u.call(c, http.MethodPost, "/programs/"+url.PathEscape(id)+"/publish", nil, nil); err != nil {
		return u.programRefused(c, err)
	}
	return seeOther(c, "/host/programs?done=program_published")
}

func (u *UI) closeProgram(c echo.Context) error {
	id := c.Param("id")
	if err := u.call(c, http.MethodPost, "/programs/"+url.PathEscape(id)+"/close", nil, nil); err != nil {
		return u.programRefused(c, err)
	}
	if cl, ok := auth.FromContext(c); ok && cl.Role != auth.RoleHost {
		return seeOther(c, "/programs/"+url.PathEscape(id)+"?done=program_closed")
	}
	return seeOther(c, "/host/programs?done=program_closed")
}

// programFromForm reads the program form; numbers that are not numbers are
// reported on f (the API never sees them).
func programFromForm(v url.Values, f *Form) apiprograms.ProgramRequest {
	b := apiprograms.ProgramRequest{
		Title: strings.TrimSpace(v.Get("title")), TitleJa: strings.TrimSpace(v.Get("titleJa")),
		Description: strings.TrimSpace(v.Get("description")), DescriptionJa: strings.TrimSpace(v.Get("descriptionJa")),
		Kind: v.Get("kind"), HostOrg: strings.TrimSpace(v.Get("hostOrg")), HostCountry: v.Get("hostCountry"),
		Region: v.Get("region"), Fields: nonEmpty(v["fields"]), Skills: splitList(v.Get("skills")),
		StartDate: v.Get("startDate"), EndDate: v.Get("endDate"), ApplicationDeadline: v.Get("applicationDeadline"),
	}
	if b.Fields == nil {
		b.Fields = []string{}
	}
	number := func(name, label string) (int64, bool) {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f.add(name, label, "problem.number", "")
			return 0, false
		}
		return n, true
	}
	if n, ok := number("seats", "pform.seats"); ok {
		seats := int(n)
		b.Seats = &seats
	}
	for _, code := range taxonomy.Categories.Codes() {
		if n, ok := number("reserve_"+code, "pform.reserves"); ok {
			b.Reserves = append(b.Reserves, programsev.Reserve{Category: code, Seats: int(n)})
		}
	}
	b.ReserveOrder = v.Get("reserveOrder")
	if n, ok := number("stipendAmount", "pform.stipendAmount"); ok {
		b.Stipend = &apiprograms.StipendRequest{Amount: &n, Currency: v.Get("stipendCurrency"), Period: v.Get("stipendPeriod")}
	}
	r := &b.Eligibility
	r.ApplicantKinds = nonEmpty(v["eKinds"])
	r.HomeCountries = nonEmpty(v["eCountries"])
	r.DegreeLevels = nonEmpty(v["eDegrees"])
	for i := range EligibilityRows {
		code, level := v.Get("elang"+strconv.Itoa(i)), v.Get("elevel"+strconv.Itoa(i))
		if code == "" && level == "" {
			continue
		}
		r.Languages = append(r.Languages, taxonomy.LanguageRequirement{Code: code, MinLevel: level})
	}
	if n, ok := number("minAge", "pform.minAge"); ok {
		r.MinAge = int(n)
	}
	if n, ok := number("maxAge", "pform.maxAge"); ok {
		r.MaxAge = int(n)
	}
	return b
}

// programValues is a program as form values.
func programValues(p programsev.Program) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("title", p.Title)
	set("titleJa", p.TitleJa)
	set("description", p.Description)
	set("descriptionJa", p.DescriptionJa)
	set("kind", p.Kind)
	set("hostOrg", p.HostOrg)
	set("hostCountry", p.HostCountry)
	set("region", p.Region)
	v["fields"] = p.Fields
	set("skills", strings.Join(p.Skills, ", "))
	v.Set("seats", strconv.Itoa(p.Seats))
	for _, r := range p.Reserves {
		v.Set("reserve_"+r.Category, strconv.Itoa(r.Seats))
	}
	set("reserveOrder", p.ReserveOrder)
	set("startDate", p.StartDate)
	set("endDate", p.EndDate)
	set("applicationDeadline", p.ApplicationDeadline)
	if s := p.Stipend; s != nil {
		v.Set("stipendAmount", strconv.FormatInt(s.Amount, 10))
		set("stipendCurrency", s.Currency)
		set("stipendPeriod", s.Period)
	}
	r := p.Eligibility
	v["eKinds"] = r.ApplicantKinds
	v["eCountries"] = r.HomeCountries
	v["eDegrees"] = r.DegreeLevels
	for i, l := range r.Languages {
		set("elang"+strconv.Itoa(i), l.Code)
		set("elevel"+strconv.Itoa(i), l.MinLevel)
	}
	if r.MinAge > 0 {
		v.Set("minAge", strconv.Itoa(r.MinAge))
	}
	if r.MaxAge > 0 {
		v.Set("maxAge", strconv.Itoa(r.MaxAge))
	}
	set("status", p.Status)
	return v
}

var eligibilityLangRe = regexp.MustCompile(`^eligibility\.languages\[(\d+)\]\.(code|minLevel)$`)

// programField places an API field of a program at its input.
func programField(field string) (string, string, bool) {
	if m := eligibilityLangRe.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[1])
		i = min(i, EligibilityRows-1)
		if m[2] == "code" {
			return "elang" + strconv.Itoa(i), "pform.elang", true
		}
		return "elevel" + strconv.Itoa(i), "pform.elevel", true
	}
	switch base := indexRe.ReplaceAllString(field, ""); base {
	case "title", "titleJa", "description", "descriptionJa", "kind", "hostOrg", "hostCountry", "region",
		"fields", "skills", "seats", "startDate", "endDate", "applicationDeadline":
		return base, "pform." + base, true
	case "reserves", "reserves.category", "reserves.seats":
		return "reserves", "pform.reserves", true
	case "reserveOrder":
		return "reserveOrder", "pform.reserveOrder", true
	case "stipend", "stipend.amount":
		return "stipendAmount", "pform.stipendAmount", true
	case "stipend.currency":
		return "stipendCurrency", "pform.stipendCurrency", true
	case "stipend.period":
		return "stipendPeriod", "pform.stipendPeriod", true
	case "eligibility.applicantKinds":
		return "eKinds", "pform.eKinds", true
	case "eligibility.homeCountries":
		return "eCountries", "pform.eCountries", true
	case "eligibility.degreeLevels":
		return "eDegrees", "pform.eDegrees", true
	case "eligibility.languages":
		return "elang0", "pform.elang", true
	case "eligibility.minAge":
		return "minAge", "pform.minAge", true
	case "eligibility.maxAge":
		return "maxAge", "pform.maxAge", true
	}
	return "", "", false
}

// --- CSV import -------------------------------------------------------------

// ImportData is an import page: the file's kind and, after a try, how
// many rows went in or the problems of a refused file, by line.
type ImportData struct {
	Kind csvImport
	// Rows are the problems of a refused file, by line.
	Rows []web.FieldError
	// Imported is how many rows a successful import stored.
	Imported int
	Done     bool
}

// csvImport is one kind of CSV import the pages offer: hosts import
// programs, coordinators profiles. The page, its words and its template
// follow the kind; the API refuses a file with per-line problems either
// way.
type csvImport struct {
	// Name is the message-id prefix ("import" or "pimport") and Path the
	// page's own path.
	Name, Path string
	// Template is the file name under /import/templates/.
	Template string
	// Publish offers "publish at once" (programs only).
	Publish bool
	// Done is where the list of what was imported is.
	Done, DoneLabel string
	// send posts the file to the API and says how many rows it stored.
	send func(u *UI, c echo.Context, raw []byte, publish bool) (int, error)
}

var (
	programImport = csvImport{Name: "import", Path: "/host/programs/import", Template: "programs.csv", Publish: true,
		Done: "/host/programs", DoneLabel: "nav.host_programs",
		send: func(u *UI, c echo.Context, raw []byte, publish bool) (int, error) {
			var res apiprograms.ImportResponse
			err := u.call(c, http.MethodPost, "/programs/import?publish="+strconv.FormatBool(publish), csvBody(raw), &res)
			return res.Imported, err
		}}
	profileImport = csvImport{Name: "pimport", Path: "/coord/profiles/import", Template: "profiles.csv",
		Done: "/coord/rounds", DoneLabel: "nav.rounds",
		send: func(u *UI, c echo.Context, raw []byte, _ bool) (int, error) {
			var res apiprofiles.ImportResult
			err := u.call(c, http.MethodPost, "/profiles/import", csvBody(raw), &res)
			return res.Rows, err
		}}
)

// importForm is the empty import page of kind k.
func (u *UI) importForm(k csvImport) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := u.page(c, k.Name+".title")
		p.Form = newForm(nil)
		p.Data = ImportData{Kind: k}
		return u.render(c, http.StatusOK, "program_import", p)
	}
}

// uploadedFile reads the form's "file" upload whole (the API streams and
// limits it again); ok is false when the form carries no file.
func uploadedFile(c echo.Context) (raw []byte, ok bool, err error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, false, nil
	}
	fl, err := fh.Open()
	if err != nil {
		return nil, false, err
	}
	defer fl.Close()
	raw, err = io.ReadAll(fl)
	return raw, err == nil, err
}

// importCSV sends the uploaded file of kind k to the API and shows what
// came of it.
func (u *UI) importCSV(k csvImport) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := u.page(c, k.Name+".title")
		p.Form = newForm(nil)
		d := ImportData{Kind: k}
		raw, ok, err := uploadedFile(c)
		if err != nil {
			return err
		}
		if !ok {
			p.Form.add("file", "import.file", "problem.required", "")
			p.Data = d
			return u.render(c, http.StatusUnprocessableEntity, "program_import", p)
		}
		publish := k.Publish && c.FormValue("publish") == "on"
		if publish {
			p.Form.Values.Set("publish", "on")
		}
		n, err := k.send(u, c, raw, publish)
		var ae *APIError
		switch {
		case err == nil:
			d.Done, d.Imported = true, n
			p.Data = d
			return u.render(c, http.StatusOK, "program_import", p)
		case errors.As(err, &ae) && ae.Status < 500 && ae.Status != http.StatusUnauthorized:
			d.Rows = ae.Problem.Errors
			if len(d.Rows) == 0 {
				p.Form.add("file", "import.file", "problem.invalid", ae.Problem.Detail)
			}
			p.Data = d
			return u.render(c, http.StatusUnprocessableEntity, "program_import", p)
		}
		return err
	}
}

// --- Candidates and the host's ranking --------------------------------------

// CandidatesData is a program's candidates.
type CandidatesData struct {
	Program    programsev.Program
	Candidates []CandidateView
	// CanRank is set for the program's host.
	CanRank bool
}

// CandidateView is a candidate as shown, with their place in the host's
// ranking.
type CandidateView struct {
	apimatching.Candidate
	// Ranked is the candidate's place in the host's ranking, from 1; 0
	// when the host has not ranked them.
	Ranked int `json:"-"`
}

// candidatesOf lists a program's candidates, the host's ranking first (in
// its order), then the others as the API orders them (by score).
func (u *UI) candidatesOf(c echo.Context, id string) ([]CandidateView, error) {
	var res api.Page[CandidateView]
	if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(id)+"/candidates?pageSize=100", nil, &res); err != nil {
		return nil, err
	}
	var r apimatching.ProgramRanking
	if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(id)+"/ranking", nil, &r); err != nil && statusOf(err) != http.StatusNotFound {
		return nil, err
	}
	for i := range res.Items {
		res.Items[i].Ranked = slices.Index(r.ApplicantIDs, res.Items[i].ApplicantID) + 1
	}
	slices.SortStableFunc(res.Items, func(a, b CandidateView) int {
		switch {
		case a.Ranked > 0 && b.Ranked > 0:
			return a.Ranked - b.Ranked
		case a.Ranked > 0:
			return -1
		case b.Ranked > 0:
			return 1
		}
		return 0
	})
	return res.Items, nil
}

func (u *UI) candidates(c echo.Context) error {
	id := c.Param("id")
	var prog programsev.Program
	if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(id), nil, &prog); err != nil {
		return err
	}
	cands, err := u.candidatesOf(c, id)
	if err != nil {
		return err
	}
	p := u.page(c, "cands.title")
	p.TitleRaw = p.ProgramTitle(prog)
	d := CandidatesData{Program: prog, CanRank: p.User.Is(auth.RoleHost) && prog.HostID == p.User.ID}
	d.Candidates = cands
	p.Data = d
	return u.render(c, http.StatusOK, "candidates", p)
}

// moveCandidate moves an applicant who applied up or down the program's
// ranking (the order shown on the candidates page) and saves it.
func (u *UI) moveCandidate(c echo.Context) error {
	id := c.Param("id")
	cands, err := u.candidatesOf(c, id)
	if err != nil {
		return err
	}
	var ids []string
	for _, s := range cands {
		if s.Applied {
			ids = append(ids, s.ApplicantID)
		}
	}
	ids = move(ids, c.FormValue("applicantId"), c.FormValue("dir"), c.FormValue("place"))
	if err := u.call(c, http.MethodPut, "/programs/"+url.PathEscape(id)+"/ranking", apimatching.ProgramRankingRequest{ApplicantIDs: ids}, nil); err != nil {
		return err
	}
	return seeOther(c, "/host/programs/"+url.PathEscape(id)+"/candidates?done=ranking_saved")
}
