package ui

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
)

// Form is what a form page needs besides its data: the values typed (to
// show them again) and the problems found, by field name.
type Form struct {
	Values url.Values
	// Errors are the problems of each field, by the input's name.
	Errors map[string][]FieldProblem
	// Summary lists every problem in order, for the alert at the top.
	Summary []FieldProblem
}

// FieldProblem is one problem of one field, as shown on the page.
type FieldProblem struct {
	// Name is the input's name; the input's id is "f-"+Name.
	Name string
	// Label is the message id of the field's label.
	Label string
	// Key is the message id of the localized problem.
	Key string
	// Detail is the API's own wording (English), shown as a detail.
	Detail string
}

func newForm(v url.Values) *Form {
	if v == nil {
		v = url.Values{}
	}
	return &Form{Values: v, Errors: map[string][]FieldProblem{}}
}

// Get returns a field's value.
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Has reports whether a multi-valued field holds v (checkboxes, multiple
// selects).
func (f *Form) Has(name, v string) bool {
	if f == nil {
		return false
	}
	for _, x := range f.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

// Err returns a field's problems.
func (f *Form) Err(name string) []FieldProblem {
	if f == nil {
		return nil
	}
	return f.Errors[name]
}

// Invalid reports whether a field has a problem.
func (f *Form) Invalid(name string) bool { return len(f.Err(name)) > 0 }

// HasErrors reports whether any problem was found.
func (f *Form) HasErrors() bool { return f != nil && len(f.Summary) > 0 }

// add records a problem of a field.
func (f *Form) add(name, label, key, detail string) {
	p := FieldProblem{Name: name, Label: label, Key: key, Detail: detail}
	f.Errors[name] = append(f.Errors[name], p)
	f.Summary = append(f.Summary, p)
}

// fieldMap turns an API field path ("languages[1].level") into the name of
// the input showing it and the message id of its label; ok false when the
// form has no such input.
type fieldMap func(apiField string) (name, label string, ok bool)

// indexRe finds list indexes in an API field path.
var indexRe = regexp.MustCompile(`\[\d+\]`)

// simpleFields maps API fields to inputs of the same name (list indexes
// dropped: "fields[2]" is shown at the "fields" input).
func simpleFields(labels map[string]string) fieldMap {
	return func(field string) (string, string, bool) {
		name := indexRe.ReplaceAllString(field, "")
		l, ok := labels[name]
		return name, l, ok
	}
}

// fromProblem puts the field problems of an API error on the form; it
// returns false when err is not a problem with fields (the caller shows it
// otherwise). Problems of fields the form does not show are listed in the
// summary under the form's general label.
func (f *Form) fromProblem(err error, m fieldMap) bool {
	var ae *APIError
	if !errors.As(err, &ae) || len(ae.Problem.Errors) == 0 {
		return false
	}
	for _, fe := range ae.Problem.Errors {
		name, label, ok := m(fe.Field)
		if !ok {
			name, label = "", "field.other"
		}
		f.add(name, label, problemKey(fe.Reason), fe.Reason)
	}
	return true
}

// problemKey picks the localized wording of an API reason. The API words
// its reasons in English only; the common kinds get a translation and the
// exact wording is shown beside it.
func problemKey(reason string) string {
	r := strings.ToLower(reason)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(r, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("because an applicant born", "guardian"):
		if has("only for applicants under") {
			return "problem.guardian_adult"
		}
		return "problem.guardian_required"
	case has("only for applicants under"):
		return "problem.guardian_adult"
	case strings.HasPrefix(r, "is required"), has("name at least one"):
		return "problem.required"
	case has("their own consent", "categoriesconsent"):
		return "problem.categories_consent"
	case has("must be true"):
		return "problem.consent_required"
	case has("notice version", "noticeversion"):
		return "problem.notice"
	case has("must not be before"):
		return "problem.date_order"
	case has("must not be after"):
		return "problem.deadline_order"
	case has("is not a level", "level; want", " level for "):
		return "problem.level_scale"
	case has("year between", "must be a year"):
		return "problem.year"
	case has("prefecture", "state or union territory", "unknown region"):
		return "problem.region"
	case has("date"):
		return "problem.date"
	case has("at most", "too long"):
		return "problem.too_long"
	case has("listed twice", "duplicate", "repeats"):
		return "problem.duplicate"
	case has("at least", "between", "negative", "greater than"):
		return "problem.range"
	case has("password"):
		return "problem.password"
	case has("e-mail"):
		return "problem.email"
	}
	return "problem.invalid"
}

// csrfOK checks the double-submit token of a form post. Every POST handler
// of the UI checks it, whether or not the auth middleware already did.
func csrfOK(c echo.Context) bool {
	return auth.CSRFValid(c.Request())
}

// errCSRF is returned by a POST handler whose form lacks its CSRF token.
var errCSRF = errors.New("csrf token missing or wrong")

// localPath returns next when it is a path on this site, else def. It
// refuses scheme-relative ("//evil"), backslash and absolute URLs.
func localPath(next, def string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return def
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return def
	}
	return next
}

// seeOther redirects after a successful post (Post/Redirect/Get).
func seeOther(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, localPath(to, "/"))
}
