package fielderr_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/fielderr"
)

// TestConstructors: every constructor gives a known code, an English
// reason, and only the parameters its code lists.
func TestConstructors(t *testing.T) {
	for _, fe := range []fielderr.FieldError{
		fielderr.NewRequired("a"), fielderr.NewRequiredOneOf("a", []string{"x"}), fielderr.NewOneOf("a", []string{"x", "y"}),
		fielderr.NewTooLong("a", 10), fielderr.NewTooShort("a", 2), fielderr.NewTooMany("a", 3), fielderr.NewTooFew("a", 1),
		fielderr.NewRange("a", 0, 9), fielderr.NewNumberOrder("a", "b"), fielderr.NewSumTooLarge("a", 4),
		fielderr.NewDateOrder("a", "b"), fielderr.NewDeadlineOrder("a", "b"), fielderr.NewDatePast("a"),
		fielderr.NewDateFuture("a"), fielderr.NewDateTooFar("a", 365), fielderr.NewDuration("a", "b", 8), fielderr.NewOverlap("a"),
		fielderr.NewFormat("a", "date"), fielderr.NewType("a", "string"), fielderr.NewUnknownField("a"),
		fielderr.NewUnknownCode("a", "field"), fielderr.NewDuplicate("a"), fielderr.NewDuplicateLine("a", 3),
		fielderr.NewDuplicateOf("a[1]", "a[0]"), fielderr.NewLevelScale("a", "JLPT", []string{"N1"}), fielderr.NewYear("a", 1900, 2000),
		fielderr.NewRegion("a", "JP"), fielderr.NewEmail("a"), fielderr.NewTextEncoding("a"), fielderr.NewControlCharacter("a"),
		fielderr.NewFormatCharacter("a"), fielderr.NewConsentRequired("a"), fielderr.NewNoticeVersion("a", "2026-01"),
		fielderr.NewGuardianRequired("a", 18), fielderr.NewGuardianAdult("a", 18), fielderr.NewNotFound("a"),
		fielderr.NewNotAvailable("a"), fielderr.NewTooManyRows(10), fielderr.NewEmptyFile(), fielderr.NewColumns(2, 2),
		fielderr.NewCSVSyntax("bare quote"),
	} {
		if err := fielderr.Check(fe); err != nil {
			t.Error(err)
		}
	}
}

// TestCheckRefuses: Check catches a missing or unknown code and a stray
// parameter.
func TestCheckRefuses(t *testing.T) {
	for name, fe := range map[string]fielderr.FieldError{
		"no code":      {Field: "a", Reason: "is bad"},
		"unknown code": {Field: "a", Code: "bad", Reason: "is bad"},
		"stray param":  fielderr.NewRequired("a").WithParams(&fielderr.Params{Other: "b"}),
		"no reason":    {Field: "a", Code: fielderr.Required},
	} {
		if fielderr.Check(fe) == nil {
			t.Errorf("%s: Check(%+v) = nil, want an error", name, fe)
		}
	}
}

// TestCodesListParamsOfParams: the parameter names in Codes are the JSON
// names of Params, so that pages and the OpenAPI description agree.
func TestCodesListParamsOfParams(t *testing.T) {
	var names []string
	typ := reflect.TypeFor[fielderr.Params]()
	for i := range typ.NumField() {
		names = append(names, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	for code, params := range fielderr.Codes {
		for _, p := range params {
			if !slices.Contains(names, p) {
				t.Errorf("code %s lists param %q, not a field of Params %v", code, p, names)
			}
		}
	}
}

// TestJSONShape: a field error is {field, code, reason, params?} (DESIGN.md
// §3), with the parameters a page needs.
func TestJSONShape(t *testing.T) {
	b, err := json.Marshal(fielderr.NewDateOrder("endDate", "startDate").Because("must not be before startDate (2027-02-01)"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"field":"endDate","code":"date_order","reason":"must not be before startDate (2027-02-01)","params":{"other":"startDate"}}`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	b, _ = json.Marshal(fielderr.NewRange("seats", 0, 500))
	if want := `{"field":"seats","code":"range","reason":"must be between 0 and 500","params":{"min":0,"max":500}}`; string(b) != want {
		t.Errorf("JSON = %s, want %s (a zero bound is kept)", b, want)
	}
}

// TestDocumentedCodes: docs/API-ERRORS.md lists every code.
func TestDocumentedCodes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/API-ERRORS.md")
	if err != nil {
		t.Fatal(err)
	}
	for code := range fielderr.Codes {
		if !strings.Contains(string(doc), "| `"+string(code)+"` |") {
			t.Errorf("docs/API-ERRORS.md does not list %s", code)
		}
	}
}
