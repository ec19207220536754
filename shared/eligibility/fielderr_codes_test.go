package eligibility

import (
	"testing"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// TestEveryFieldErrorHasACode: the rules and program checks give every
// problem a known code with only its params.
func TestEveryFieldErrorHasACode(t *testing.T) {
	var all []FieldError
	all = append(all, ValidateProgram(Program{})...)
	all = append(all, ValidateProgram(Program{HostCountry: "US", StartDate: "2027-06-01", EndDate: "2027-05-01", ApplicationDeadline: "x"})...)
	all = append(all, ValidateProgram(Program{HostCountry: "JP", EndDate: "2027-05-01", ApplicationDeadline: "2027-06-01",
		Eligibility: Rules{ApplicantKinds: []string{"x", "student", "student"}, HomeCountries: []string{"US"}, DegreeLevels: []string{"y"},
			Languages: []taxonomy.LanguageRequirement{{}, {Code: "xx"}, {Code: "ja", MinLevel: "C1"}, {Code: "ja", MinLevel: "N2"}, {Code: "en"}},
			MinAge:    50, MaxAge: 40}})...)
	all = append(all, ValidateRules(Rules{MinAge: -1, MaxAge: 200})...)
	seen := map[fielderr.Code]bool{}
	for _, f := range all {
		seen[f.Code] = true
		if err := fielderr.Check(f); err != nil {
			t.Error(err)
		}
	}
	for _, c := range []fielderr.Code{fielderr.Required, fielderr.UnknownCode, fielderr.Duplicate, fielderr.LevelScale,
		fielderr.Range, fielderr.NumberOrder, fielderr.DateOrder, fielderr.DeadlineOrder, fielderr.Format} {
		if !seen[c] {
			t.Errorf("no bad program in the corpus gave code %s", c)
		}
	}
}
