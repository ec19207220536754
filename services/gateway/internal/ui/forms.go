package ui

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
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
	// Detail is the API's own wording (English) of a problem without a
	// field code; pages never read it to decide anything.
	Detail string
	// Code and Params are the API's field error code and its parameters;
	// the page words the problem from them (fielderr.<code>).
	Code   fielderr.Code
	Params *fielderr.Params
	// OtherLabel is the message id of the label of the field Params.Other
	// names ("startDate" for an end date before it).
	OtherLabel string
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
	f.put(FieldProblem{Name: name, Label: label, Key: key, Detail: detail})
}

func (f *Form) put(p FieldProblem) {
	f.Errors[p.Name] = append(f.Errors[p.Name], p)
	f.Summary = append(f.Summary, p)
}

// addCoded records a field error the API (or the gateway's own rules)
// gave a code; m names the field the code's "other" parameter points at.
func (f *Form) addCoded(name, label string, fe fielderr.FieldError, m fieldMap) {
	p := FieldProblem{Name: name, Label: label, Key: codeKey(fe), Code: fe.Code, Params: fe.Params}
	if fe.Params != nil && fe.Params.Other != "" {
		p.OtherLabel = "field.related"
		if _, l, ok := m(fe.Params.Other); ok {
			p.OtherLabel = l
		}
	}
	f.put(p)
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
		f.addCoded(name, label, fe, m)
	}
	return true
}

// codeKey is the message id that words a field error: fielderr.<code>,
// with the format named when it has its own wording
// (fielderr.format.date). An unknown code gets the general wording.
func codeKey(fe fielderr.FieldError) string {
	if !fielderr.Known(fe.Code) {
		return "fielderr.invalid"
	}
	key := "fielderr." + string(fe.Code)
	if fe.Code == fielderr.Format && fe.Params != nil && slices.Contains(wordedFormats, fe.Params.Format) {
		key += "." + fe.Params.Format
	}
	return key
}

// wordedFormats are the formats with their own wording.
var wordedFormats = []string{"date", "datetime", "integer", "boolean", "year", "csv", "id", "language_level"}

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
