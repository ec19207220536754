package visa

import (
	"strings"
	"testing"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
	"github.com/talentbridge/platform/shared/taxonomy"
)

func ptr(n int) *int { return &n }

func jlpt(level string) []taxonomy.Language {
	return []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: level}}
}

func monthly(yen int64) *Stipend { return &Stipend{Amount: yen, Currency: "JPY", Period: "month"} }

// TestEstimateHSPWorkedExamples works cases through the ISA points
// calculation table (hsp.json, from the table of 2026-12-07). Each want
// names the row of the table it comes from.
func TestEstimateHSPWorkedExamples(t *testing.T) {
	table := placementrules.HSP()
	tests := []struct {
		name    string
		in      Input
		want    map[string]int
		total   int
		reached bool
	}{
		{
			// The journey: a PhD holder with JLPT N1 on a
			// fellowship paying 150,000 yen a month, born 1995.
			name: "fellowship, PhD, N1, modest stipend",
			in: Input{Direction: "IN_JP", Kind: "fellowship", Stipend: monthly(150_000), Start: "2027-04-01", End: "2028-03-31",
				DegreeLevel: "phd", BirthYear: 1995, Languages: jlpt("N1")},
			want: map[string]int{
				"academic_background": 30, // doctor's degree: 30
				"annual_salary":       0,  // 1,800,000 yen is under the lowest band (4M, age ≤29)
				"age":                 10, // 32 at the start: 30–34 gives 10
				"japanese_language":   15, // JLPT N1: 15
				"professional_career": 0,  // not recorded
			},
			total: 55,
		},
		{
			name: "young researcher crosses 70",
			in: Input{Direction: "IN_JP", Kind: "joint_research", Stipend: monthly(500_000), Start: "2027-06-01", End: "2028-05-31",
				DegreeLevel: "phd", BirthYear: 1999, Languages: jlpt("N1")},
			want: map[string]int{
				"academic_background": 30, // doctor's degree: 30
				"annual_salary":       20, // 6,000,000 yen at 28: the 6M band (ages ≤39) gives 20
				"age":                 15, // 28: under 30 gives 15
				"japanese_language":   15, // N1: 15
			},
			total: 80, reached: true,
		},
		{
			name: "engineer at exactly 70, specialised category",
			in: Input{Direction: "IN_JP", Kind: "industry_partnership", Stipend: &Stipend{Amount: 9_000_000, Currency: "JPY", Period: "year"},
				Start: "2027-04-01", End: "2029-03-31", DegreeLevel: "master", BirthYear: 1991, Languages: jlpt("N2")},
			want: map[string]int{
				"academic_background": 20, // master's degree: 20
				"annual_salary":       35, // 9,000,000 yen: 35 at any age
				"age":                 5,  // 36: 35–39 gives 5
				"japanese_language":   10, // N2: 10
			},
			total: 70, reached: true,
		},
		{
			name: "salary band closed by age",
			in: Input{Direction: "IN_JP", Kind: "fellowship", Stipend: monthly(625_000), Start: "2027-04-01", End: "2028-03-31",
				DegreeLevel: "postdoc", BirthYear: 1986},
			want: map[string]int{
				"academic_background": 30, // postdoc holds a doctorate: 30
				"annual_salary":       0,  // 7,500,000 yen at 41: the 7M and 6M bands stop at 39
				"age":                 0,  // 41: over 39
				"japanese_language":   0,  // none given
			},
			total: 30,
		},
		{
			name: "experience and research counted when known",
			in: Input{Direction: "IN_JP", Kind: "joint_research", Stipend: monthly(850_000), Start: "2027-04-01", End: "2028-03-31",
				DegreeLevel: "phd", BirthYear: 1990, ExperienceYears: ptr(8), ResearchAchievements: ptr(2)},
			want: map[string]int{
				"academic_background":   30, // doctor's degree: 30
				"professional_career":   15, // academic research: 7 years or more gives 15
				"annual_salary":         40, // 10,200,000 yen: 40 at any age
				"age":                   5,  // 37: 35–39 gives 5
				"research_achievements": 25, // academic research, two or more kinds: 25
			},
			total: 115, reached: true,
		},
		{
			name: "stipend in rupees is not scored",
			in: Input{Direction: "IN_JP", Kind: "exchange", Stipend: &Stipend{Amount: 50_000, Currency: "INR", Period: "month"},
				Start: "2027-04-01", End: "2027-09-30", DegreeLevel: "master", BirthYear: 2002, Languages: jlpt("N3")},
			want: map[string]int{
				"academic_background": 20, // master's: 20
				"annual_salary":       0,  // not in yen
				"age":                 15, // 25: under 30
				"japanese_language":   0,  // N3 earns nothing
			},
			total: 35,
		},
		{
			// Points over 70 do not help below the (i)(b) salary floor
			// of 3,000,000 yen.
			name: "specialised category under the salary floor",
			in: Input{Direction: "IN_JP", Kind: "internship", Stipend: monthly(200_000), Start: "2027-04-01", End: "2027-09-30",
				DegreeLevel: "phd", BirthYear: 2000, Languages: jlpt("N1"), ExperienceYears: ptr(10), ResearchAchievements: ptr(1)},
			want: map[string]int{
				"academic_background":   30, // 30
				"professional_career":   20, // specialised, 10 years or more: 20
				"annual_salary":         0,  // 2,400,000 yen: under the 3M floor
				"age":                   15, // 27
				"research_achievements": 15, // specialised: 15
				"japanese_language":     15, // N1
			},
			total: 95, reached: false,
		},
		{
			name:  "nothing known",
			in:    Input{Direction: "IN_JP", Kind: "fellowship", Stipend: monthly(300_000), Start: "2027-04-01", End: "2028-03-31"},
			want:  map[string]int{"academic_background": 0, "age": 0, "annual_salary": 0, "japanese_language": 0},
			total: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := EstimateHSP(table, tc.in)
			points := map[string]int{}
			for _, it := range got.Items {
				points[it.Item] = it.Points
				if it.Reason == "" || it.Text.Ja == "" || it.Text.Hi == "" {
					t.Errorf("item %s has no reason in every language: %+v", it.Item, it)
				}
				if strings.Contains(it.Text.En+it.Text.Ja+it.Text.Hi, "{") {
					t.Errorf("item %s has an unfilled parameter: %+v", it.Item, it.Text)
				}
			}
			for item, want := range tc.want {
				if points[item] != want {
					t.Errorf("EstimateHSP(%s) %s = %d, want %d (items %+v)", tc.name, item, points[item], want, got.Items)
				}
			}
			if got.Total != tc.total || got.Reached != tc.reached {
				t.Errorf("EstimateHSP(%s) total %d reached %v, want %d %v", tc.name, got.Total, got.Reached, tc.total, tc.reached)
			}
			if !got.Estimate || got.Threshold != 70 || got.RuleSet != table.Version || got.Source.URL == "" {
				t.Errorf("EstimateHSP(%s) not labelled as an estimate with version and source: %+v", tc.name, got)
			}
		})
	}
}

func TestEstimateHSPSaysWhatIsMissing(t *testing.T) {
	got := EstimateHSP(placementrules.HSP(), Input{Direction: "IN_JP", Kind: "fellowship", Stipend: monthly(300_000), Start: "2027-04-01"})
	want := map[string]string{
		apiplacements.HSPAcademicBackground:   "No degree level in the profile",
		apiplacements.HSPAge:                  "No birth year in the profile",
		apiplacements.HSPJapaneseLanguage:     "No Japanese level in the profile",
		apiplacements.HSPProfessionalCareer:   "Years of professional experience are not on the profile: give them to refine the estimate",
		apiplacements.HSPResearchAchievements: "Research achievements (patents, grants, papers) are not on the profile: give them to refine the estimate",
	}
	for _, it := range got.Items {
		if w, ok := want[it.Item]; ok && it.Reason != w {
			t.Errorf("%s reason = %q, want %q", it.Item, it.Reason, w)
		}
	}
}

func TestDegreeReasonInEachLanguage(t *testing.T) {
	got := academicBackground(placementrules.HSP(), placementrules.HSP().Categories["academic"], "phd")
	if got.Points != 30 || !strings.Contains(got.Text.Ja, "博士") || strings.Contains(got.Text.Ja, "phd") || strings.Contains(got.Text.Hi, "phd") {
		t.Errorf("academic background for phd = %+v, want 30 with the degree named in each language", got)
	}
}

func TestYenText(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 6_000_000: "6,000,000", 12_345_678: "12,345,678"} {
		if got := yenText(in); got != want {
			t.Errorf("yenText(%d) = %q, want %q", in, got, want)
		}
	}
}
