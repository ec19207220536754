package visa

import (
	"slices"
	"testing"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
)

func codes(notes []apiplacements.VisaNote) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.Code)
	}
	return out
}

func altTypes(opts []apiplacements.VisaOption) []string {
	var out []string
	for _, o := range opts {
		out = append(out, o.Type)
	}
	return out
}

func TestPathway(t *testing.T) {
	rules, table := placementrules.Visa(), placementrules.HSP()
	tests := []struct {
		name     string
		in       Input
		typ      string
		alts     []string
		needs    []string // must be among the needs
		notNeeds []string // must not be
		hsp      bool
	}{
		{name: "exchange in Japan for a semester",
			in:  Input{Direction: "IN_JP", Kind: "exchange", Start: "2027-04-01", End: "2027-09-30"},
			typ: "jp.student", needs: []string{"coe", "visa_application_jp", "admission_letter", "residence_card"}},
		{name: "short unpaid research visit to Japan",
			in:  Input{Direction: "IN_JP", Kind: "joint_research", Start: "2027-07-01", End: "2027-08-31"},
			typ: "jp.temporary_visitor", needs: []string{"short_stay_visa_jp"}, notNeeds: []string{"coe", "residence_card"}},
		{name: "91 unpaid days is no longer a short stay",
			in:  Input{Direction: "IN_JP", Kind: "joint_research", Start: "2027-06-01", End: "2027-08-30"},
			typ: "jp.cultural_activities", needs: []string{"coe", "residence_card"}},
		{name: "paid internship in Japan",
			in:  Input{Direction: "IN_JP", Kind: "internship", Stipend: monthly(120_000), Start: "2027-07-01", End: "2027-08-31"},
			typ: "jp.designated_activities", needs: []string{"internship_agreement", "enrolment_certificate"}, hsp: true},
		{name: "paid fellowship in Japan below 70 points",
			in: Input{Direction: "IN_JP", Kind: "fellowship", Stipend: monthly(150_000), Start: "2027-04-01", End: "2028-03-31",
				DegreeLevel: "phd", BirthYear: 1995, Languages: jlpt("N1")},
			typ: "jp.professor", alts: []string{"jp.researcher"}, needs: []string{"contract", "residence_card"}, notNeeds: []string{"hsp_points"}, hsp: true},
		{name: "paid fellowship in Japan at 80 points offers HSP",
			in: Input{Direction: "IN_JP", Kind: "fellowship", Stipend: monthly(500_000), Start: "2027-06-01", End: "2028-05-31",
				DegreeLevel: "phd", BirthYear: 1999, Languages: jlpt("N1")},
			typ: "jp.professor", alts: []string{"jp.researcher", "jp.hsp_academic"}, needs: []string{"hsp_points"}, hsp: true},
		{name: "paid industry post in Japan",
			in:  Input{Direction: "IN_JP", Kind: "industry_partnership", Stipend: monthly(350_000), Start: "2027-04-01", End: "2028-03-31"},
			typ: "jp.engineer", needs: []string{"contract", "degree_certificate"}, hsp: true},
		{name: "a year's exchange in India",
			in:  Input{Direction: "JP_IN", Kind: "exchange", Start: "2027-07-15", End: "2028-05-31"},
			typ: "in.student", alts: []string{"in.e_student"}, needs: []string{"admission_letter", "frro_registration"}},
		{name: "summer internship in India needs no FRRO registration",
			in:  Input{Direction: "JP_IN", Kind: "internship", Stipend: &Stipend{Amount: 20_000, Currency: "INR", Period: "month"}, Start: "2027-06-01", End: "2027-08-31"},
			typ: "in.internship", needs: []string{"internship_offer_in"}, notNeeds: []string{"frro_registration"}},
		{name: "research in India",
			in:  Input{Direction: "JP_IN", Kind: "joint_research", Start: "2027-04-01", End: "2028-03-31"},
			typ: "in.research", needs: []string{"research_clearance", "frro_registration"}},
		{name: "paid post in India",
			in:  Input{Direction: "JP_IN", Kind: "industry_partnership", Stipend: &Stipend{Amount: 2_000_000, Currency: "INR", Period: "year"}, Start: "2027-04-01", End: "2027-12-31"},
			typ: "in.employment", needs: []string{"employment_contract_in", "frro_registration"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Pathway(rules, table, tc.in)
			if got.Visa.Type != tc.typ {
				t.Fatalf("Pathway(%s) type = %q, want %q", tc.name, got.Visa.Type, tc.typ)
			}
			if a := altTypes(got.Visa.Alternatives); !slices.Equal(a, tc.alts) {
				t.Errorf("alternatives = %v, want %v", a, tc.alts)
			}
			needs := codes(got.Visa.Needs)
			for _, n := range tc.needs {
				if !slices.Contains(needs, n) {
					t.Errorf("needs %v lack %q", needs, n)
				}
			}
			for _, n := range tc.notNeeds {
				if slices.Contains(needs, n) {
					t.Errorf("needs %v include %q", needs, n)
				}
			}
			if (got.HSP != nil) != tc.hsp {
				t.Errorf("hsp = %v, want present %v", got.HSP, tc.hsp)
			}
			if len(got.Visa.Reasons) == 0 || len(got.Visa.Sources) == 0 || got.Visa.RuleSet != rules.Version {
				t.Errorf("no reasons, sources or rule set: %+v", got.Visa)
			}
			if got.Visa.Title.En == "" || got.Visa.Title.Ja == "" || got.Visa.Title.Hi == "" {
				t.Errorf("title not in every language: %+v", got.Visa.Title)
			}
			for _, s := range got.Visa.Sources {
				if s.URL == "" || s.Checked == "" {
					t.Errorf("source without address or date: %+v", s)
				}
			}
		})
	}
}

func TestPathwayAcceptanceJourney(t *testing.T) {
	// The acceptance: a fellowship in Japan with a monthly
	// stipend, a PhD holder with JLPT N1.
	got := Pathway(placementrules.Visa(), placementrules.HSP(), Input{Direction: "IN_JP", Kind: "fellowship",
		Stipend: monthly(200_000), Start: "2027-10-01", End: "2028-09-30", DegreeLevel: "phd", BirthYear: 1996, Languages: jlpt("N1")})
	if got.HSP == nil {
		t.Fatal("no HSP estimate for a paid placement in Japan")
	}
	points := map[string]int{}
	for _, it := range got.HSP.Items {
		points[it.Item] = it.Points
	}
	if points["academic_background"] != 30 || points["japanese_language"] != 15 {
		t.Errorf("academic_background %d, japanese_language %d; want 30 and 15", points["academic_background"], points["japanese_language"])
	}
}

func TestPathwayUnknownKindAnswersNothing(t *testing.T) {
	got := Pathway(placementrules.Visa(), placementrules.HSP(), Input{Direction: "IN_US", Kind: "exchange"})
	if got.Visa.Type != "" || got.HSP != nil {
		t.Errorf("Pathway(unknown direction) = %+v, want empty", got)
	}
}
