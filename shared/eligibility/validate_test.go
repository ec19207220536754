package eligibility

import (
	"slices"
	"testing"

	"github.com/talentbridge/platform/shared/taxonomy"
)

func errorTexts(errs []FieldError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

func TestValidateRules(t *testing.T) {
	tests := []struct {
		name  string
		rules Rules
		want  []string
	}{
		{"empty rules are valid", Rules{}, nil},
		{"the design example is valid", program().Eligibility, nil},
		{"unknown applicant kind", Rules{ApplicantKinds: []string{"student", "host"}},
			[]string{`eligibility.applicantKinds[1]: unknown applicant kind "host"; want one of student|researcher|company`}},
		{"duplicate applicant kind", Rules{ApplicantKinds: []string{"student", "student"}},
			[]string{`eligibility.applicantKinds[1]: duplicate applicant kind "student"`}},
		{"unknown country", Rules{HomeCountries: []string{"in"}},
			[]string{`eligibility.homeCountries[0]: unknown country "in"; want one of IN|JP`}},
		{"unknown degree level", Rules{DegreeLevels: []string{"doctorate"}},
			[]string{`eligibility.degreeLevels[0]: unknown degree level "doctorate"; want one of bachelor|master|phd|postdoc|faculty|professional`}},
		{"level on the wrong scale", Rules{Languages: []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}, {Code: "ja", MinLevel: "B2"}}},
			[]string{`eligibility.languages[1].minLevel: "B2" is not a JLPT level; want one of N5|N4|N3|N2|N1|native`}},
		{"unsupported language", Rules{Languages: []taxonomy.LanguageRequirement{{Code: "xx", MinLevel: "B2"}}},
			[]string{`eligibility.languages[0].code: unsupported language "xx"; want an ISO 639-1 code such as en, ja or hi`}},
		{"missing code and level", Rules{Languages: []taxonomy.LanguageRequirement{{Code: "en"}, {}}},
			[]string{`eligibility.languages[0].minLevel: is required`, `eligibility.languages[1].code: is required`}},
		{"duplicate language", Rules{Languages: []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}, {Code: "en", MinLevel: "C1"}}},
			[]string{`eligibility.languages[1].code: duplicate language "en"`}},
		{"negative ages", Rules{MinAge: -1, MaxAge: -5},
			[]string{`eligibility.minAge: must not be negative`, `eligibility.maxAge: must not be negative`}},
		{"implausible age", Rules{MaxAge: 200},
			[]string{`eligibility.maxAge: must be at most 120`}},
		{"minAge above maxAge", Rules{MinAge: 40, MaxAge: 35},
			[]string{`eligibility.minAge: must not be greater than maxAge (40 > 35)`}},
		{"minAge alone is fine", Rules{MinAge: 18}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorTexts(ValidateRules(tc.rules)); !slices.Equal(got, tc.want) {
				t.Errorf("ValidateRules(%+v) = %q, want %q", tc.rules, got, tc.want)
			}
		})
	}
}

func TestValidateProgram(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Program)
		want []string
	}{
		{"valid", func(*Program) {}, nil},
		{"no dates at all", func(p *Program) { p.StartDate, p.EndDate, p.ApplicationDeadline = "", "", "" }, nil},
		{"missing host", func(p *Program) { p.HostCountry = "" }, []string{"hostCountry: is required"}},
		{"unknown host", func(p *Program) { p.HostCountry = "Japan" }, []string{`hostCountry: unknown country "Japan"; want one of IN|JP`}},
		{"bad date", func(p *Program) { p.StartDate = "2027-6-1" }, []string{`startDate: "2027-6-1" is not a date; want YYYY-MM-DD`}},
		{"ends before start", func(p *Program) { p.EndDate = "2027-05-31" }, []string{"endDate: must not be before startDate (2027-06-01)"}},
		{"deadline after end", func(p *Program) { p.ApplicationDeadline = "2027-09-01" }, []string{"applicationDeadline: must not be after endDate (2027-08-31)"}},
		{"rules are checked too", func(p *Program) { p.Eligibility.MaxAge = -1 }, []string{"eligibility.maxAge: must not be negative"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := program()
			tc.edit(&p)
			if got := errorTexts(ValidateProgram(p)); !slices.Equal(got, tc.want) {
				t.Errorf("ValidateProgram(%+v) = %q, want %q", p, got, tc.want)
			}
		})
	}
}
