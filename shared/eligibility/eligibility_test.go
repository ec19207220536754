package eligibility

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// now is a fixed clock for every test: 2026-11-26 12:00 UTC.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// asha is the applicant of DESIGN.md §4 and program the program, both
// eligible for each other; each case changes one thing.
func asha() Applicant {
	return Applicant{
		Kind: "student", HomeCountry: "IN", DegreeLevel: "master", BirthYear: 2001,
		Languages:     []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N4"}},
		AvailableFrom: "2027-04-01", AvailableTo: "2028-03-31",
	}
}

func program() Program {
	return Program{
		HostCountry: "JP", StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: "2027-03-31",
		Eligibility: Rules{
			ApplicantKinds: []string{"student", "researcher"}, HomeCountries: []string{"IN"},
			DegreeLevels: []string{"master", "phd"},
			Languages:    []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}}, MaxAge: 35,
		},
	}
}

func reasonTexts(rs []explain.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code + ": " + r.Text
	}
	return out
}

func TestCheckBaseline(t *testing.T) {
	got := Check(asha(), program(), now)
	want := []string{
		"eligibility.kind.met: Applicant kind Student is accepted",
		"eligibility.home_country.met: Home country India is accepted",
		"eligibility.degree_level.met: Degree level Master's is accepted",
		"eligibility.language.met: English C1 meets B2",
		"eligibility.max_age.met: Within the maximum age of 35 (born 2001: 25 or 26 at the start on 2027-06-01)",
		"eligibility.deadline.met: Applications are open until the end of 2027-03-31 (Japan time)",
		"eligibility.dates.met: Available 2027-04-01 to 2028-03-31, which overlaps the program (2027-06-01 to 2027-08-31)",
	}
	if !got.Eligible || len(got.Reasons) != 0 || !slices.Equal(reasonTexts(got.Met), want) {
		t.Errorf("Check(asha, program) = eligible %v, reasons %q, met\n%s\nwant eligible, no reasons, met\n%s",
			got.Eligible, reasonTexts(got.Reasons), strings.Join(reasonTexts(got.Met), "\n"), strings.Join(want, "\n"))
	}
}

// TestCheckRules changes one thing per case and expects one unmet reason
// (or, for cases marked eligible, a specific met reason).
func TestCheckRules(t *testing.T) {
	tests := []struct {
		name      string
		applicant func(*Applicant)
		program   func(*Program)
		now       time.Time
		eligible  bool
		want      string // the unmet reason, or the met reason under test when eligible
	}{
		// applicant kinds
		{name: "kind not accepted", applicant: func(a *Applicant) { a.Kind = "company" },
			want: "eligibility.kind.unmet: Applicant kind Company staff is not accepted (accepted: Student, Researcher)"},
		{name: "kind missing", applicant: func(a *Applicant) { a.Kind = "" },
			want: "eligibility.kind.unmet: Applicant kind (not given) is not accepted (accepted: Student, Researcher)"},
		{name: "no kind rule accepts anyone", applicant: func(a *Applicant) { a.Kind = "company" },
			program: func(p *Program) { p.Eligibility.ApplicantKinds = nil }, eligible: true,
			want: "eligibility.home_country.met: Home country India is accepted"},

		// home countries
		{name: "home country not listed", applicant: func(a *Applicant) { a.HomeCountry = "JP" },
			want: "eligibility.home_country.unmet: Home country Japan is not accepted (accepted: India)"},
		{name: "default excludes the host country", applicant: func(a *Applicant) { a.HomeCountry = "JP" },
			program: func(p *Program) { p.Eligibility.HomeCountries = nil },
			want:    "eligibility.home_country.unmet: Home country Japan is not accepted (accepted: India)"},
		{name: "default accepts the other country",
			program: func(p *Program) {
				p.Eligibility.HomeCountries = nil
				p.HostCountry = "IN"
				p.Eligibility.Languages = nil
			},
			applicant: func(a *Applicant) { a.HomeCountry = "JP" }, eligible: true,
			want: "eligibility.home_country.met: Home country Japan is accepted"},
		{name: "explicit list may include the host country", applicant: func(a *Applicant) { a.HomeCountry = "JP" },
			program: func(p *Program) { p.Eligibility.HomeCountries = []string{"IN", "JP"} }, eligible: true,
			want: "eligibility.home_country.met: Home country Japan is accepted"},
		{name: "unknown home country", applicant: func(a *Applicant) { a.HomeCountry = "US" },
			want: `eligibility.home_country.unmet: Home country "US" is not accepted (accepted: India)`},

		// degree levels
		{name: "degree not accepted", applicant: func(a *Applicant) { a.DegreeLevel = "bachelor" },
			want: "eligibility.degree_level.unmet: Degree level Bachelor's is not accepted (accepted: Master's, PhD)"},

		// languages
		{name: "language below minimum", applicant: func(a *Applicant) { a.Languages[0].Level = "B1" },
			want: "eligibility.language.unmet: English B1 is below the required B2"},
		{name: "language missing", applicant: func(a *Applicant) { a.Languages = a.Languages[1:] },
			want: "eligibility.language.missing: English B2 or above is required; no level given"},
		{name: "JLPT meets", program: func(p *Program) {
			p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "N5"}}
		}, eligible: true, want: "eligibility.language.met: JLPT N4 meets N5"},
		{name: "JLPT below", program: func(p *Program) {
			p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "N3"}}
		}, want: "eligibility.language.unmet: JLPT N4 is below the required N3"},
		{name: "native meets any level", applicant: func(a *Applicant) { a.Languages[1].Level = "native" },
			program: func(p *Program) {
				p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "N1"}}
			},
			eligible: true, want: "eligibility.language.met: native Japanese meets N1"},
		{name: "best of repeated levels counts", applicant: func(a *Applicant) {
			a.Languages = append(a.Languages, taxonomy.Language{Code: "ja", Level: "N2"})
		}, program: func(p *Program) {
			p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "N3"}}
		},
			eligible: true, want: "eligibility.language.met: JLPT N2 meets N3"},
		{name: "level from the wrong scale counts as not given", applicant: func(a *Applicant) { a.Languages[1].Level = "B2" },
			program: func(p *Program) {
				p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "N5"}}
			},
			want: "eligibility.language.missing: JLPT N5 or above is required; no level given"},
		{name: "unknown required level fails closed",
			program: func(p *Program) {
				p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "B2"}}
			},
			want: `eligibility.language.invalid: The "ja" level "B2" required cannot be checked: it is not a known language level`},

		// ages
		{name: "older borderline gets the benefit of the doubt", applicant: func(a *Applicant) { a.BirthYear = 1991 },
			eligible: true, want: "eligibility.max_age.met: Within the maximum age of 35 (born 1991: 35 or 36 at the start on 2027-06-01)"},
		{name: "over the maximum age", applicant: func(a *Applicant) { a.BirthYear = 1990 },
			want: "eligibility.max_age.unmet: Over the maximum age of 35 (born 1990: 36 or 37 at the start on 2027-06-01)"},
		{name: "younger borderline meets the minimum", applicant: func(a *Applicant) { a.BirthYear = 2009 },
			program: func(p *Program) { p.Eligibility.MinAge = 18 }, eligible: true,
			want: "eligibility.min_age.met: Meets the minimum age of 18 (born 2009: 17 or 18 at the start on 2027-06-01)"},
		{name: "under the minimum age", applicant: func(a *Applicant) { a.BirthYear = 2010 },
			program: func(p *Program) { p.Eligibility.MinAge = 18 },
			want:    "eligibility.min_age.unmet: Under the minimum age of 18 (born 2010: 16 or 17 at the start on 2027-06-01)"},
		{name: "birth year needed for an age limit", applicant: func(a *Applicant) { a.BirthYear = 0 },
			want: "eligibility.age.unknown: A birth year is needed to check the program's age limits"},
		{name: "no start date computes age in the current year", applicant: func(a *Applicant) { a.BirthYear = 1990 },
			program: func(p *Program) { p.StartDate = ""; p.EndDate = "" }, eligible: true,
			want: "eligibility.max_age.met: Within the maximum age of 35 (born 1990: 35 or 36 in 2026)"},

		// deadline
		{name: "deadline day is still open in Japan", now: time.Date(2027, 3, 31, 14, 59, 0, 0, time.UTC), eligible: true,
			want: "eligibility.deadline.met: Applications are open until the end of 2027-03-31 (Japan time)"},
		{name: "after midnight in Japan it is closed", now: time.Date(2027, 3, 31, 15, 0, 0, 0, time.UTC),
			want: "eligibility.deadline.unmet: Applications closed at the end of 2027-03-31 (Japan time)"},
		{name: "India host closes at midnight IST", now: time.Date(2027, 3, 31, 18, 30, 0, 0, time.UTC),
			program: func(p *Program) { p.HostCountry = "IN"; p.Eligibility.HomeCountries = []string{"IN"} },
			want:    "eligibility.deadline.unmet: Applications closed at the end of 2027-03-31 (India time)"},
		{name: "unreadable deadline", program: func(p *Program) { p.ApplicationDeadline = "31/03/2027" },
			want: `eligibility.deadline.invalid: The application deadline "31/03/2027" is not a date (want YYYY-MM-DD)`},

		// dates
		{name: "availability ends before the program", applicant: func(a *Applicant) { a.AvailableTo = "2027-05-31"; a.AvailableFrom = "" },
			want: "eligibility.dates.unmet: Available until 2027-05-31, which does not overlap the program (2027-06-01 to 2027-08-31)"},
		{name: "one shared day is enough", applicant: func(a *Applicant) { a.AvailableFrom = "2027-08-31"; a.AvailableTo = "" },
			eligible: true, want: "eligibility.dates.met: Available from 2027-08-31, which overlaps the program (2027-06-01 to 2027-08-31)"},
		{name: "no availability is no constraint", applicant: func(a *Applicant) { a.AvailableFrom = ""; a.AvailableTo = "" },
			eligible: true, want: "eligibility.dates.unconstrained: No availability dates given; the program runs 2027-06-01 to 2027-08-31"},
		{name: "reversed availability overlaps nothing", applicant: func(a *Applicant) { a.AvailableFrom = "2027-08-01"; a.AvailableTo = "2027-07-01" },
			want: "eligibility.dates.unmet: Available 2027-08-01 to 2027-07-01, which does not overlap the program (2027-06-01 to 2027-08-31)"},
		{name: "unreadable availability", applicant: func(a *Applicant) { a.AvailableFrom = "April 2027" },
			want: "eligibility.dates.invalid: The availability dates (April 2027 to 2028-03-31) are not dates (want YYYY-MM-DD)"},
		{name: "unreadable program dates", program: func(p *Program) { p.EndDate = "2027-02-30" },
			want: "eligibility.dates.invalid: The program dates (2027-06-01 to 2027-02-30) are not dates (want YYYY-MM-DD)"},
		{name: "program ending before it starts", program: func(p *Program) { p.EndDate = "2027-05-01" },
			want: "eligibility.dates.invalid: The program ends (2027-05-01) before it starts (2027-06-01)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, p, at := asha(), program(), now
			a.Languages = slices.Clone(a.Languages)
			if tc.applicant != nil {
				tc.applicant(&a)
			}
			if tc.program != nil {
				tc.program(&p)
			}
			if !tc.now.IsZero() {
				at = tc.now
			}
			got := Check(a, p, at)
			texts := reasonTexts(got.Reasons)
			if tc.eligible {
				if !got.Eligible || len(texts) != 0 || !slices.Contains(reasonTexts(got.Met), tc.want) {
					t.Errorf("Check(%+v, %+v) = eligible %v, reasons %q, met %q; want eligible with met %q",
						a, p, got.Eligible, texts, reasonTexts(got.Met), tc.want)
				}
				return
			}
			if got.Eligible || !slices.Equal(texts, []string{tc.want}) {
				t.Errorf("Check(%+v, %+v) = eligible %v, reasons %q; want not eligible, reasons [%q]",
					a, p, got.Eligible, texts, tc.want)
			}
		})
	}
}

func TestCheckCollectsEveryFailure(t *testing.T) {
	a := Applicant{Kind: "company", HomeCountry: "JP", DegreeLevel: "professional", BirthYear: 1970}
	got := Check(a, program(), time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	var codes []string
	for _, r := range got.Reasons {
		codes = append(codes, r.Code)
	}
	want := []string{CodeKindUnmet, CodeCountryUnmet, CodeDegreeUnmet, CodeLanguageMissing, CodeMaxAgeUnmet, CodeDeadlineUnmet}
	if got.Eligible || !slices.Equal(codes, want) {
		t.Errorf("Check(%+v) = eligible %v, codes %v; want not eligible, codes %v", a, got.Eligible, codes, want)
	}
	if len(got.Met) != 1 || got.Met[0].Code != CodeDatesUnconstrained {
		t.Errorf("Check(%+v).Met = %q, want only %s", a, reasonTexts(got.Met), CodeDatesUnconstrained)
	}
}

func TestCheckParams(t *testing.T) {
	p := program()
	p.Eligibility.Languages = []taxonomy.LanguageRequirement{{Code: "ja", MinLevel: "N3"}}
	got := Check(asha(), p, now)
	var lang explain.Reason
	for _, r := range got.Reasons {
		if r.Code == CodeLanguageUnmet {
			lang = r
		}
	}
	want := map[string]string{"language": "ja", "level": "N4", "min": "N3"}
	if fmt.Sprint(lang.Params) != fmt.Sprint(want) {
		t.Errorf("language reason params = %v, want %v", lang.Params, want)
	}
}

func TestAcceptedHomeCountries(t *testing.T) {
	tests := []struct {
		host   string
		listed []string
		want   []string
	}{
		{"JP", nil, []string{"IN"}},
		{"IN", nil, []string{"JP"}},
		{"IN", []string{"IN", "JP"}, []string{"IN", "JP"}},
		{"", nil, nil},
		{"US", nil, nil},
	}
	for _, tc := range tests {
		p := Program{HostCountry: tc.host, Eligibility: Rules{HomeCountries: tc.listed}}
		if got := AcceptedHomeCountries(p); !slices.Equal(got, tc.want) {
			t.Errorf("AcceptedHomeCountries(host %q, listed %v) = %v, want %v", tc.host, tc.listed, got, tc.want)
		}
	}
}

func TestResultJSON(t *testing.T) {
	a := asha()
	a.Kind = "company"
	p := program()
	p.Eligibility = Rules{ApplicantKinds: []string{"student"}}
	p.ApplicationDeadline, p.StartDate, p.EndDate = "", "", ""
	b, err := json.Marshal(Check(a, p, now))
	want := `{"eligible":false,"reasons":[{"code":"eligibility.kind.unmet","params":{"accepted":"student","kind":"company"},"text":"Applicant kind Company staff is not accepted (accepted: Student)"}],"met":[{"code":"eligibility.home_country.met","params":{"accepted":"IN","default":"true","homeCountry":"IN"},"text":"Home country India is accepted"}]}`
	if err != nil || string(b) != want {
		t.Errorf("json.Marshal(Check(...)) = %s, %v\nwant %s", b, err, want)
	}
}
