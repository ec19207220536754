package ui

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// TestEveryFieldErrorCodeWorded fails when a field error code has no text
// in some language, or when a text uses a parameter its code does not
// carry (it would show "<no value>").
func TestEveryFieldErrorCodeWorded(t *testing.T) {
	u := testUI(t)
	params := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	for code, allowed := range fielderr.Codes {
		for _, lang := range Languages {
			id := "fielderr." + string(code)
			if !u.cat.has(lang, id) {
				t.Errorf("%s: no text for %s", lang, id)
				continue
			}
			raw := u.cat.text(lang, id, "Min", "{{.Min}}", "Max", "{{.Max}}", "Other", "{{.Other}}", "Scale", "{{.Scale}}",
				"Age", "{{.Age}}", "Version", "{{.Version}}", "Line", "{{.Line}}")
			for _, m := range params.FindAllStringSubmatch(raw, -1) {
				if !slices.Contains(allowed, strings.ToLower(m[1])) {
					t.Errorf("%s %s uses {{.%s}}, which code %s does not carry (%v)", lang, id, m[1], code, allowed)
				}
			}
		}
	}
}

// TestProblemsWordedFromCodes puts an API problem on the wizard's form and
// renders it in each language: the text comes from the code, the other
// field is named by its label, and neither the English reason nor the API's
// field paths reach the page.
func TestProblemsWordedFromCodes(t *testing.T) {
	u := testUI(t)
	problem := &APIError{Status: http.StatusBadRequest, Problem: web.Problem{Code: "invalid_request", Errors: []web.FieldError{
		fielderr.NewRequiredOneOf("kind", []string{"student", "researcher", "company"}),
		fielderr.NewDateOrder("availableTo", "availableFrom").Because("must not be before availableFrom (2027-02-01)"),
		fielderr.NewTooMany("fields", 10),
		fielderr.NewYear("birthYear", 1926, 2013),
	}}}
	want := map[string][]string{
		"en": {"This is required.", "Must not be before “Available from”.", "Give at most 10.", "Enter a year from 1926 to 2013."},
		"ja": {"入力または選択が必要です。", "「参加可能な開始日」より前の日付にはできません。", "10個までにしてください。", "1926年から2013年までの年を入力してください。"},
		"hi": {"यह आवश्यक है: भरें या चुनें।", "“कब से उपलब्ध” से पहले की तिथि नहीं हो सकती।", "अधिकतम 10 दें।", "1926 से 2013 तक का वर्ष दर्ज करें।"},
	}
	for _, lang := range Languages {
		f := newForm(nil)
		shownProblems(f, problem, Sections)
		p := &Page{Lang: lang, cat: u.cat, Form: f}
		if len(f.Summary) != 4 {
			t.Fatalf("%s: summary = %+v, want 4 problems", lang, f.Summary)
		}
		for i, fp := range f.Summary {
			got := p.Problem(fp)
			if got != want[lang][i] {
				t.Errorf("%s: problem %d = %q, want %q", lang, i, got, want[lang][i])
			}
			if next := p.FieldProblem(fp); next != got {
				t.Errorf("%s: next to the field %q, in the summary %q", lang, next, got)
			}
			for _, leak := range []string{"availableFrom", "2027-02-01", "student|", "is required:", "fields["} {
				if strings.Contains(got, leak) {
					t.Errorf("%s: %q shows the API's own words %q", lang, got, leak)
				}
			}
		}
		if got := f.Summary[0].Label; got != "wizard.kind" {
			t.Errorf("kind's label = %q, want wizard.kind", got)
		}
	}
}

// TestRowProblemsWordedFromCodes words the rows of a refused import.
func TestRowProblemsWordedFromCodes(t *testing.T) {
	u := testUI(t)
	row := fielderr.NewTooManyRows(5000).At(5002)
	row.Reason = "this English text is not shown"
	for lang, want := range map[string]string{
		"en": "The file may hold at most 5,000 lines; split it.",
		"ja": "ファイルは5,000行までです。分割してください。",
	} {
		p := &Page{Lang: lang, cat: u.cat}
		if got := p.RowProblem(row); got != want {
			t.Errorf("%s: RowProblem = %q, want %q", lang, got, want)
		}
	}
	p := &Page{Lang: "hi", cat: u.cat}
	if got := p.RowProblem(web.FieldError{Line: 3, Code: "no_such_code", Reason: "x"}); got != u.cat.text("hi", "fielderr.invalid") {
		t.Errorf("unknown code worded %q, want the general wording", got)
	}
}
