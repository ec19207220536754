package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page is what every template receives: the page's own data and what the
// layout needs (language, user, CSRF token, the form being shown).
type Page struct {
	Lang string
	// Title is the message id of the page title; TitleRaw, when set, is
	// shown after it (a program's title, say).
	Title    string
	TitleRaw string
	User     *Viewer
	CSRF     string
	// Path is the current path with its query, for the language switcher
	// to come back to.
	Path string
	// Notice is the message id of a confirmation to show ("saved").
	Notice string
	// Refused marks a notice that says something was not done: it is shown
	// as an alert, not as a confirmation.
	Refused bool
	Form    *Form
	Data    any
	// Refresh, in seconds, reloads the page without JavaScript (a running
	// round); the script refreshes it more smoothly.
	Refresh int
	// Asset is the version of the stylesheet and script, for caching.
	Asset string
	cat   *catalog
	// titles name programs by id in reasons that give only the id.
	titles map[string]string
	// zone is the reader's time zone once Loc found it with findZone.
	zone     *time.Location
	findZone func() *time.Location
}

// Viewer is the signed-in user.
type Viewer struct {
	ID     string
	Name   string
	Email  string
	Role   string
	Status string
	Unread int64
	// EmailVerified is set once the owner confirmed the address.
	EmailVerified bool
	// DeclineReason is why a coordinator declined to verify the host
	// (status declined).
	DeclineReason string
}

// Is reports whether the user has one of roles (coordinators include
// admins).
func (v *Viewer) Is(roles ...string) bool {
	if v == nil {
		return false
	}
	for _, r := range roles {
		if v.Role == r || (r == auth.RoleCoordinator && v.Role == auth.RoleAdmin) {
			return true
		}
	}
	return false
}

// T localizes a message id with params given as name, value pairs.
func (p *Page) T(id string, pairs ...any) string { return p.cat.text(p.Lang, id, pairs...) }

// H localizes a message id as HTML; params given with raw are marked as
// content not to translate.
func (p *Page) H(id string, pairs ...any) template.HTML { return p.cat.html(p.Lang, id, pairs...) }

// Problem words a problem of a field for the summary, after the field's
// label. A field error with a code is worded from the code and its
// parameters in the page's language; the API's English reason is never
// shown or read. A problem without a code (a whole-request refusal) shows
// the API's detail on English pages and the problem's kind on the others.
func (p *Page) Problem(fp FieldProblem) string {
	if fp.Code != "" {
		return p.coded(fp)
	}
	if p.Lang == "en" && fp.Detail != "" {
		return fp.Detail
	}
	return p.T(fp.Key)
}

// FieldProblem words a problem next to its field.
func (p *Page) FieldProblem(fp FieldProblem) string {
	if fp.Code != "" {
		return p.coded(fp)
	}
	if p.Lang == "en" && fp.Detail != "" && fp.Label != "" {
		return p.T(fp.Label) + " " + fp.Detail
	}
	return p.T(fp.Key)
}

// RowProblem words a problem of a line of an imported file from its code.
func (p *Page) RowProblem(fe web.FieldError) string {
	return p.coded(FieldProblem{Key: codeKey(fe), Code: fe.Code, Params: fe.Params, OtherLabel: "field.related"})
}

// coded words a field error from its code, filling in the parameters its
// message uses: numbers in the page's digits, the other field by its label.
func (p *Page) coded(fp FieldProblem) string {
	var pairs []any
	if pr := fp.Params; pr != nil {
		year := fp.Code == fielderr.Year
		num := func(name string, n *int) {
			switch {
			case n == nil:
			case year:
				pairs = append(pairs, name, strconv.Itoa(*n))
			default:
				pairs = append(pairs, name, p.Int(*n))
			}
		}
		num("Min", pr.Min)
		num("Max", pr.Max)
		num("Age", pr.Age)
		if pr.Line > 0 {
			pairs = append(pairs, "Line", p.Int(pr.Line))
		}
		pairs = append(pairs, "Scale", pr.Scale, "Version", pr.Version)
	}
	if fp.OtherLabel != "" {
		pairs = append(pairs, "Other", p.T(fp.OtherLabel))
	}
	return p.T(fp.Key, pairs...)
}

// Known reports whether a message id has a text, for optional labels
// (counts and actions named by the API).
func (p *Page) Known(id string) bool { return p.cat.has(p.Lang, id) }

// Day formats a "YYYY-MM-DD" date.
func (p *Page) Day(s string) string { return FormatDate(p.Lang, s) }

// Time formats an instant in the reader's zone.
func (p *Page) Time(t time.Time) string { return FormatTimeIn(p.Lang, t, p.Loc()) }

// TimePtr formats an optional instant.
func (p *Page) TimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return p.Time(*t)
}

// Int formats a whole number.
func (p *Page) Int(n any) string {
	switch v := n.(type) {
	case int:
		return FormatInt(p.Lang, int64(v))
	case int64:
		return FormatInt(p.Lang, v)
	case float64:
		return FormatInt(p.Lang, int64(v))
	}
	return fmt.Sprint(n)
}

// Pct formats a fraction as a percentage.
func (p *Page) Pct(f float64) string { return FormatPercent(f) }

// Stipend words a program's stipend: "¥150,000 per month".
func (p *Page) Stipend(s *programsev.Stipend) string {
	if s == nil {
		return ""
	}
	return p.T("stipend.amount", "Amount", FormatMoney(p.Lang, s.Amount, s.Currency), "Period", p.T("stipend.period."+s.Period))
}

// Kind is the label of a program kind.
func (p *Page) Kind(code string) string { return enumLabel(taxonomy.ProgramKinds, code, p.Lang) }

// ApplicantKind is the label of an applicant kind.
func (p *Page) ApplicantKind(code string) string {
	return enumLabel(taxonomy.ApplicantKinds, code, p.Lang)
}

// Degree is the label of a degree level.
func (p *Page) Degree(code string) string { return enumLabel(taxonomy.DegreeLevels, code, p.Lang) }

// Country is the name of a country.
func (p *Page) Country(code string) string {
	if c, ok := taxonomy.CountryByCode(code); ok {
		return c.Labels.In(p.Lang)
	}
	return code
}

// Region is the label of a region of either country.
func (p *Page) Region(name string) string { return regionLabel(name, p.Lang) }

// Field is the label of a field of science.
func (p *Page) Field(code string) string {
	if f, ok := taxonomy.Field(code); ok {
		return f.Labels.In(p.Lang)
	}
	return code
}

// Language is the name of a language.
func (p *Page) Language(code string) string {
	if l, ok := taxonomy.LanguageByCode(code); ok {
		return l.Labels.In(p.Lang)
	}
	return code
}

// Level is the label of a level of a language.
func (p *Page) Level(code, level string) string {
	if l, ok := taxonomy.LevelLabels(code, level); ok {
		return l.In(p.Lang)
	}
	return level
}

// Reason words an explained fact in the page's language.
func (p *Page) Reason(r explain.Reason) template.HTML {
	return reasonHTML(p.cat, p.Lang, r, p.titles)
}

// nameProgram lets reasons name a program by its title.
func (p *Page) nameProgram(pr *programsev.Program) {
	if pr == nil {
		return
	}
	if p.titles == nil {
		p.titles = map[string]string{}
	}
	p.titles[pr.ID] = p.ProgramTitle(*pr)
}

// ProgramTitle is a program's title in the page's language when the host
// gave one.
func (p *Page) ProgramTitle(pr programsev.Program) string {
	if p.Lang == "ja" && pr.TitleJa != "" {
		return pr.TitleJa
	}
	return pr.Title
}

// ProgramDescription is a program's description in the page's language
// when the host gave one.
func (p *Page) ProgramDescription(pr programsev.Program) string {
	if p.Lang == "ja" && pr.DescriptionJa != "" {
		return pr.DescriptionJa
	}
	return pr.Description
}

// Sep is the separator of lists in running text.
func (p *Page) Sep() string {
	if p.Lang == "ja" {
		return "、"
	}
	return ", "
}

func enumLabel(e *taxonomy.Enum, code, lang string) string {
	if t, ok := e.Term(code); ok {
		return t.Labels.In(lang)
	}
	return code
}

func regionLabel(name, lang string) string {
	for _, c := range taxonomy.Countries() {
		if r, ok := taxonomy.LookupRegion(c.Code, name); ok {
			return r.Labels.In(lang)
		}
	}
	return name
}

var funcs = template.FuncMap{
	// raw marks a parameter of a message as content (see Raw).
	"raw": func(v any) Raw { return Raw(fmt.Sprint(v)) },
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("dict: keys must be strings")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"list": func(v ...any) []any { return v },
	"add":  func(a, b int) int { return a + b },
	"kib":  func(n int64) int64 { return (n + 1023) / 1024 },
	"sub":  func(a, b int) int { return a - b },
	"itoa": strconv.Itoa,
	"has":  func(list []string, v string) bool { return slices.Contains(list, v) },
	"join": strings.Join,
	"pct":  func(f float64) int { return int(f*100 + 0.5) },
	"last": func(i, n int) bool { return i == n-1 },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"taxKinds":          func() []taxonomy.Term { return taxonomy.ProgramKinds.Terms() },
	"taxApplicantKinds": func() []taxonomy.Term { return taxonomy.ApplicantKinds.Terms() },
	"taxDegrees":        func() []taxonomy.Term { return taxonomy.DegreeLevels.Terms() },
	"taxCategories":     func() []taxonomy.Term { return taxonomy.Categories.Terms() },
	"taxCountries":      taxonomy.Countries,
	"taxRegions":        taxonomy.Regions,
	"taxFields":         taxonomy.Fields,
	"taxLanguages":      taxonomy.Languages,
	"jlpt":              func() []taxonomy.Level { return taxonomy.JLPT.Levels() },
	"cefr":              func() []taxonomy.Level { return taxonomy.CEFR.Levels() },
	"currencies":        func() []string { return []string{"INR", "JPY", "USD", "EUR"} },
	"periods":           func() []string { return []string{"once", "week", "month", "year"} },
	"genders":           func() []string { return []string{"female", "male", "non_binary", "other", "prefer_not_to_say"} },
}

// templates holds one parsed template set per page.
type templates map[string]*template.Template

// pageNames are the pages (templates/<name>.html besides the layout and the
// partials).
func pageNames() ([]string, error) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := strings.TrimSuffix(e.Name(), ".html")
		if n == "layout" || n == "partials" {
			continue
		}
		names = append(names, n)
	}
	return names, nil
}

func parseTemplates() (templates, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	names, err := pageNames()
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, n := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, "templates/"+n+".html"); err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		out[n] = t
	}
	return out, nil
}

// assetVersion is a hash of the static files, so their URLs change when
// they do.
func assetVersion() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err == nil {
			h.Write([]byte(path.Base(p)))
			h.Write(b)
		}
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// page starts the page data of a request.
func (u *UI) page(c echo.Context, title string) *Page {
	p := &Page{
		Lang:  u.lang(c),
		Title: title,
		CSRF:  u.sessions.CSRFToken(c),
		Path:  pathWithout(c.Request().URL, "done"),
		Asset: u.asset,
		cat:   u.cat,
	}
	p.User = u.viewer(c)
	p.findZone = func() *time.Location { return u.viewerZone(c, p.Lang, p.User) }
	if n := c.QueryParam("done"); n != "" && u.cat.has(p.Lang, "notice."+n) {
		p.Notice = "notice." + n
		p.Refused = refusal(n)
	}
	return p
}

// refusal tells whether the notice n reports something not done. Such
// notices are named for what stopped it: refused_*, *_refused,
// *_invalid, *_too_late, match_changed, and the publish refusals.
func refusal(n string) bool {
	switch n {
	case "match_changed", "matches_undecided", "round_running", "round_not_run", "round_already_published", "round_run_failed":
		return true
	}
	return strings.HasPrefix(n, "refused_") || strings.HasSuffix(n, "_refused") ||
		strings.HasSuffix(n, "_invalid") || strings.HasSuffix(n, "_too_late")
}

// pathWithout is the request's path and query without a parameter (the
// one-off notice, which the language switcher should not show again).
func pathWithout(u *url.URL, param string) string {
	q := u.Query()
	if !q.Has(param) {
		return u.RequestURI()
	}
	q.Del(param)
	if len(q) == 0 {
		return u.EscapedPath()
	}
	return u.EscapedPath() + "?" + q.Encode()
}

// render writes a page.
func (u *UI) render(c echo.Context, status int, name string, p *Page) error {
	t, ok := u.tmpl[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set("Content-Language", p.Lang)
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Add("Vary", "Cookie, Accept-Language")
	return c.HTMLBlob(status, buf.Bytes())
}

// ErrorData is the data of the error page.
type ErrorData struct {
	Status int
	// Key is the message id of the explanation.
	Key string
	// Next is where the "sign in" link returns to, for 401.
	Next string
}

// errorPage renders the error page for a status.
func (u *UI) errorPage(c echo.Context, status int, key string) error {
	p := u.page(c, "error.title."+strconv.Itoa(status))
	if !u.cat.has(p.Lang, p.Title) {
		p.Title = "error.title.other"
	}
	p.Data = ErrorData{Status: status, Key: key, Next: c.Request().URL.RequestURI()}
	return u.render(c, status, "error", p)
}

// pageErrors turns what handlers return into pages: sign-in for 401, the
// error page otherwise. API paths and non-UI requests keep the platform's
// problem+json answers.
func (u *UI) pageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed || strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return err
		}
		status, key := http.StatusInternalServerError, "error.other"
		var ae *APIError
		var we *web.Error
		var he *echo.HTTPError
		switch {
		case errors.Is(err, errCSRF):
			status, key = http.StatusForbidden, "error.csrf"
		case errors.As(err, &ae):
			status, key = ae.Status, "error."+strconv.Itoa(ae.Status)
		case errors.As(err, &we):
			status, key = we.Status, "error."+strconv.Itoa(we.Status)
			if we.Code == "csrf_invalid" {
				key = "error.csrf"
			}
		case errors.As(err, &he):
			status, key = he.Code, "error."+strconv.Itoa(he.Code)
		}
		if status == http.StatusUnauthorized {
			next := c.Request().URL.RequestURI()
			if c.Request().Method != http.MethodGet {
				next = "/"
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
		}
		if status >= 500 {
			u.log.Error("ui page failed", "path", c.Request().URL.Path, "err", err)
		}
		if !u.cat.has(u.lang(c), key) {
			key = "error.other"
		}
		return u.errorPage(c, status, key)
	}
}
