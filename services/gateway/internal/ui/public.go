package ui

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	apiprograms "github.com/talentbridge/platform/shared/api/programs"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/eligibility"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// ProgramPage is a page of a program search as the pages show it.
type ProgramPage struct {
	Items    []programsev.Program
	Page     int
	PageSize int
	Total    int
	// AsOf is the catalogue snapshot the search read, to pass back with
	// the next page; nil when the API named none.
	AsOf *time.Time
}

// searchPrograms asks the API for a page of programs (query is the query
// string of GET /programs).
func (u *UI) searchPrograms(c echo.Context, query string) (ProgramPage, error) {
	var res apiprograms.SearchResponse
	if err := u.call(c, http.MethodGet, "/programs?"+query, nil, &res); err != nil {
		return ProgramPage{}, err
	}
	pg := ProgramPage{Items: make([]programsev.Program, len(res.Items)), Page: res.Page, PageSize: res.PageSize, Total: res.Total}
	for i, it := range res.Items {
		pg.Items[i] = it.Program
	}
	if !res.AsOf.IsZero() {
		pg.AsOf = &res.AsOf
	}
	return pg, nil
}

// HomeData is the home page.
type HomeData struct {
	Open  []programsev.Program
	Total int
}

func (u *UI) home(c echo.Context) error {
	var d HomeData
	if res, err := u.searchPrograms(c, "open=true&pageSize=6"); err == nil {
		d.Open, d.Total = res.Items, res.Total
	} else {
		u.log.Warn("home: list open programs", "err", err)
	}
	p := u.page(c, "home.title")
	p.Data = d
	return u.render(c, http.StatusOK, "home", p)
}

// --- Sign-up, sign-in, sign-out, language -----------------------------------

var signupLabels = map[string]string{
	"email": "signup.email", "password": "signup.password", "role": "signup.role",
	"name": "signup.name", "organization": "signup.organization",
}

func (u *UI) signupForm(c echo.Context) error {
	p := u.page(c, "signup.title")
	v := url.Values{}
	if r := c.QueryParam("role"); r == "host" || r == "applicant" {
		v.Set("role", r)
	} else {
		v.Set("role", "applicant")
	}
	p.Form = newForm(v)
	return u.render(c, http.StatusOK, "signup", p)
}

func (u *UI) signup(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(v)
	role := v.Get("role")
	body := apiidentity.SignupRequest{Email: strings.TrimSpace(v.Get("email")), Password: v.Get("password"),
		Role: role, Name: v.Get("name"), Organization: strings.TrimSpace(v.Get("organization")), Language: u.lang(c)}
	err = u.call(c, http.MethodPost, "/auth/signup", body, nil)
	switch {
	case err == nil:
		usr, err := u.sessions.Login(c, body.Email, body.Password)
		if err != nil {
			// The account exists; signing in is left to the user.
			return seeOther(c, "/login?done=signed_up")
		}
		u.rememberLanguage(c.Request().Context(), usr.ID, u.lang(c))
		if role == auth.RoleHost {
			return seeOther(c, "/host/programs?done=welcome_host")
		}
		return seeOther(c, "/profile/wizard")
	case f.fromProblem(err, simpleFields(signupLabels)):
	case statusOf(err) == http.StatusConflict:
		f.add("email", "signup.email", "problem.email_taken", "")
	case statusOf(err) == http.StatusTooManyRequests:
		f.add("", "field.other", "problem.rate_limited", "")
	default:
		return err
	}
	f.Values.Del("password")
	p := u.page(c, "signup.title")
	p.Form = f
	return u.render(c, http.StatusUnprocessableEntity, "signup", p)
}

// LoginData is the sign-in page.
type LoginData struct {
	Next string
}

func (u *UI) loginForm(c echo.Context) error {
	p := u.page(c, "login.title")
	p.Form = newForm(nil)
	p.Data = LoginData{Next: localPath(c.QueryParam("next"), "")}
	return u.render(c, http.StatusOK, "login", p)
}

func (u *UI) login(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(v)
	next := localPath(v.Get("next"), "")
	email, pw := strings.TrimSpace(v.Get("email")), v.Get("password")
	if email == "" {
		f.add("email", "login.email", "problem.required", "")
	}
	if pw == "" {
		f.add("password", "login.password", "problem.required", "")
	}
	if !f.HasErrors() {
		user, err := u.sessions.Login(c, email, pw)
		var rl *domain.RateLimitedError
		switch {
		case err == nil:
			return seeOther(c, localPath(next, homeOf(string(user.Role))))
		case errors.Is(err, domain.ErrInvalidCredentials):
			f.add("email", "login.email", "problem.credentials", "")
		case errors.Is(err, domain.ErrAccountDisabled):
			f.add("email", "login.email", "problem.disabled", "")
		case errors.As(err, &rl):
			f.add("", "field.other", "problem.rate_limited", "")
		case len(domain.ValidationErrors(err)) > 0:
			for _, ve := range domain.ValidationErrors(err) {
				f.addCoded(ve.Field, "login."+ve.Field, ve.FieldError(), simpleFields(nil))
			}
		default:
			return err
		}
	}
	f.Values.Del("password")
	p := u.page(c, "login.title")
	p.Form = f
	p.Data = LoginData{Next: next}
	return u.render(c, http.StatusUnprocessableEntity, "login", p)
}

// homeOf is where a role lands after signing in.
func homeOf(role string) string {
	switch role {
	case auth.RoleApplicant:
		return "/recommendations"
	case auth.RoleHost:
		return "/host/programs"
	case auth.RoleCoordinator:
		return "/coord/review"
	case auth.RoleAdmin:
		return "/admin/users"
	}
	return "/"
}

func (u *UI) logout(c echo.Context) error {
	if err := u.sessions.Logout(c); err != nil {
		u.log.Warn("sign out", "err", err)
	}
	return seeOther(c, "/?done=signed_out")
}

func (u *UI) setLang(c echo.Context) error {
	u.setLangCookie(c, c.FormValue("lang"))
	return seeOther(c, localPath(c.FormValue("next"), "/"))
}

// setLangCookie remembers the visitor's language (English when lang is
// not one the pages speak).
func (u *UI) setLangCookie(c echo.Context, lang string) {
	if !supported(lang) {
		lang = "en"
	}
	c.SetCookie(&http.Cookie{
		Name: LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.IsTLS(),
	})
}

// --- Search and program pages ----------------------------------------------

// SearchData is the search page.
type SearchData struct {
	Results ProgramPage
	Query   url.Values
	// NoProfile is set when an applicant asked for the programs they can
	// apply to before having a profile.
	NoProfile bool
	// Prev and Next are the links to the neighbouring pages, empty at the
	// ends.
	Prev, Next string
	Pages      int
}

// searchParams are the parameters the search form may pass on.
var searchParams = []string{"q", "kind", "hostCountry", "field", "region", "open", "sort", "eligible", "page", "asOf"}

func (u *UI) search(c echo.Context) error {
	in := c.QueryParams()
	q := url.Values{}
	for _, k := range searchParams {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	if q.Get("page") == "1" {
		q.Del("page")
	}
	p := u.page(c, "search.title")
	if !p.User.Is(auth.RoleApplicant) {
		// The filter reads the caller's profile: only applicants have one.
		q.Del("eligible")
	}
	api := url.Values{}
	for k, v := range q {
		api[k] = v
	}
	api.Set("pageSize", "10")
	p.Form = newForm(q)
	d := SearchData{Query: q}
	var err error
	d.Results, err = u.searchPrograms(c, api.Encode())
	switch {
	case err == nil:
	case statusOf(err) == http.StatusConflict && q.Get("eligible") != "":
		d.NoProfile = true
	case p.Form.fromProblem(err, simpleFields(map[string]string{
		"q": "search.q", "kind": "search.kind", "hostCountry": "search.country", "field": "search.field",
		"region": "search.region", "open": "search.open", "page": "search.page", "asOf": "search.page",
		"sort": "search.sort", "eligible": "search.eligible",
	})):
	default:
		return err
	}
	if d.Results.PageSize > 0 {
		d.Pages = (d.Results.Total + d.Results.PageSize - 1) / d.Results.PageSize
		link := func(page int) string {
			l := url.Values{}
			for k, v := range q {
				l[k] = v
			}
			l.Set("page", strconv.Itoa(page))
			if d.Results.AsOf != nil {
				l.Set("asOf", d.Results.AsOf.Format(time.RFC3339Nano))
			}
			return "/programs?" + l.Encode()
		}
		if d.Results.Page > 1 {
			d.Prev = link(d.Results.Page - 1)
		}
		if d.Results.Page < d.Pages {
			d.Next = link(d.Results.Page + 1)
		}
	}
	p.Data = d
	return u.render(c, http.StatusOK, "search", p)
}

// ProgramData is a program's page.
type ProgramData struct {
	Program programsev.Program
	// Rules are the eligibility rules in words.
	Rules []template.HTML
	// Check is the signed-in applicant's eligibility, nil for others or
	// without a profile.
	Check *eligibility.Result
	// NoProfile is set for an applicant who has no profile yet.
	NoProfile bool
	// Applied is set when the applicant has applied already.
	Applied bool
	// Owner is set for the host who owns the program.
	Owner bool
	// Documents are the applicant's own documents and letters, offered
	// with the Apply button to send along with the application.
	Documents []apidocs.Document
}

func (u *UI) program(c echo.Context) error {
	id := c.Param("id")
	var prog programsev.Program
	if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(id), nil, &prog); err != nil {
		return err
	}
	p := u.page(c, "program.title")
	p.TitleRaw = p.ProgramTitle(prog)
	d := ProgramData{Program: prog, Rules: rulesInWords(p, prog)}
	if p.User.Is(auth.RoleApplicant) {
		var prof profilesev.Profile
		err := u.call(c, http.MethodGet, "/profiles/me", nil, &prof)
		switch {
		case err == nil:
			res := eligibility.Check(applicantOf(prof), programOf(prog), u.now())
			d.Check = &res
		case statusOf(err) == http.StatusNotFound:
			d.NoProfile = true
		default:
			return err
		}
		apps, _ := u.myApplications(c)
		for _, a := range apps {
			if a.ProgramID == prog.ID && a.Active() {
				d.Applied = true
			}
		}
		if !d.Applied {
			// The picker is a convenience: without the list the page still
			// offers Apply, and documents can be attached afterwards.
			var docs apidocs.Documents
			if err := u.call(c, http.MethodGet, "/documents/me", nil, &docs); err == nil {
				d.Documents = docs.Items
			}
		}
	}
	d.Owner = p.User.Is(auth.RoleHost) && prog.HostID == p.User.ID
	p.Data = d
	return u.render(c, http.StatusOK, "program", p)
}

func applicantOf(p profilesev.Profile) eligibility.Applicant {
	return eligibility.Applicant{
		Kind: p.Kind, HomeCountry: p.HomeCountry, DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear,
		Languages: p.Languages, AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo,
	}
}

func programOf(p programsev.Program) eligibility.Program {
	return eligibility.Program{
		HostCountry: p.HostCountry, StartDate: p.StartDate, EndDate: p.EndDate,
		ApplicationDeadline: p.ApplicationDeadline, Eligibility: p.Eligibility,
	}
}

// rulesInWords says who may apply to a program, one line per rule.
func rulesInWords(p *Page, prog programsev.Program) []template.HTML {
	r := prog.Eligibility
	var out []template.HTML
	join := func(codes []string, label func(string) string) string {
		parts := make([]string, len(codes))
		for i, c := range codes {
			parts[i] = label(c)
		}
		return strings.Join(parts, p.Sep())
	}
	if len(r.ApplicantKinds) > 0 {
		out = append(out, p.H("rules.kinds", "List", join(r.ApplicantKinds, p.ApplicantKind)))
	} else {
		out = append(out, p.H("rules.kinds_any"))
	}
	if len(r.HomeCountries) > 0 {
		out = append(out, p.H("rules.countries", "List", join(r.HomeCountries, p.Country)))
	} else if acc := eligibility.AcceptedHomeCountries(programOf(prog)); len(acc) > 0 {
		out = append(out, p.H("rules.countries_default", "List", join(acc, p.Country)))
	}
	if len(r.DegreeLevels) > 0 {
		out = append(out, p.H("rules.degrees", "List", join(r.DegreeLevels, p.Degree)))
	}
	for _, l := range r.Languages {
		out = append(out, p.H("rules.language", "Language", p.Language(l.Code), "Level", p.Level(l.Code, l.MinLevel)))
	}
	switch {
	case r.MinAge > 0 && r.MaxAge > 0:
		out = append(out, p.H("rules.age_between", "Min", r.MinAge, "Max", r.MaxAge))
	case r.MinAge > 0:
		out = append(out, p.H("rules.age_min", "Min", r.MinAge))
	case r.MaxAge > 0:
		out = append(out, p.H("rules.age_max", "Max", r.MaxAge))
	}
	if prog.ApplicationDeadline != "" {
		out = append(out, p.H("rules.deadline", "Date", p.Day(prog.ApplicationDeadline), "Zone", p.T("zone."+prog.HostCountry)))
	}
	if prog.StartDate != "" || prog.EndDate != "" {
		out = append(out, p.H("rules.dates"))
	}
	return out
}
