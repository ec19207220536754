package scoring

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/taxonomy"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func asha() Applicant {
	return Applicant{
		ID: "asha", Kind: "student", HomeCountry: "IN", DegreeLevel: "master", BirthYear: 2001,
		Fields: []string{"1.2"}, Skills: []string{"machine learning", "nlp", "Python"},
		Statement:     "I build machine learning models for disaster response from satellite remote sensing images.",
		Languages:     []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N4"}},
		AvailableFrom: "2027-04-01", AvailableTo: "2028-03-31",
		Preferences: Preferences{ProgramKinds: []string{"exchange", "joint_research"}, HostRegions: []string{"Tokyo"}},
	}
}

func tohoku() Program {
	return Program{
		ID: "tohoku", Title: "AI for disaster resilience — summer research",
		Description: "Remote sensing and machine learning for earthquake and tsunami damage mapping.",
		Kind:        "joint_research", HostCountry: "JP", Region: "Miyagi", Fields: []string{"2.2"},
		Skills: []string{"python", "remote sensing"}, StartDate: "2027-06-01", EndDate: "2027-08-31",
		ApplicationDeadline: "2027-03-31",
		Eligibility: eligibility.Rules{
			ApplicantKinds: []string{"student", "researcher"}, HomeCountries: []string{"IN"},
			DegreeLevels: []string{"master", "phd"},
			Languages:    []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}}, MaxAge: 35,
		},
	}
}

// reasonWith returns the reason with the code and text, or else the first
// one with the code.
func reasonWith(rs []explain.Reason, code, text string) (explain.Reason, bool) {
	var first *explain.Reason
	for i, r := range rs {
		if r.Code == code {
			if r.Text == text {
				return r, true
			}
			if first == nil {
				first = &rs[i]
			}
		}
	}
	if first != nil {
		return *first, true
	}
	return explain.Reason{}, false
}

// TestScoreComponents changes one thing per case and checks one component
// and the reason that explains it.
func TestScoreComponents(t *testing.T) {
	type component func(Components) float64
	field := func(c Components) float64 { return c.Field }
	skills := func(c Components) float64 { return c.Skills }
	text := func(c Components) float64 { return c.Text }
	language := func(c Components) float64 { return c.Language }
	dates := func(c Components) float64 { return c.Dates }
	prefs := func(c Components) float64 { return c.Preferences }
	tests := []struct {
		name      string
		applicant func(*Applicant)
		program   func(*Program)
		component component
		want      float64
		code      string
		text      string // "" when no reason of that code should appear
	}{
		{"different field", nil, nil, field, 0, CodeFieldDifferent,
			"Different field: Computer and information sciences; the program is in Electrical engineering, electronic engineering, information engineering"},
		{"same field", func(a *Applicant) { a.Fields = []string{"2.2"} }, nil, field, 1, CodeFieldSame,
			"Same field: Electrical engineering, electronic engineering, information engineering"},
		{"same parent", func(a *Applicant) { a.Fields = []string{"2.3"} }, nil, field, 0.5, CodeFieldRelated,
			"Related field: Mechanical engineering and Electrical engineering, electronic engineering, information engineering are both in Engineering and technology"},
		{"within a major field the program lists", nil, func(p *Program) { p.Fields = []string{"1"} }, field, 1, CodeFieldSame,
			"Same field: Computer and information sciences is within the program's field, Natural sciences"},
		{"no field", func(a *Applicant) { a.Fields = nil }, nil, field, 0, CodeFieldUnknown,
			"No field to compare: the profile or the program lists none"},

		{"half the skills", nil, nil, skills, 0.5, CodeSkills, "1 of 2 skills: python"},
		{"every skill, any spelling", func(a *Applicant) { a.Skills = append(a.Skills, "Remote  Sensing") }, nil, skills, 1, CodeSkills,
			"2 of 2 skills: python, remote sensing"},
		{"three of five", func(a *Applicant) { a.Skills = []string{"nlp", "robotics", "ros"} },
			func(p *Program) { p.Skills = []string{"nlp", "robotics", "ros", "slam", "c++"} }, skills, 0.6, CodeSkills,
			"3 of 5 skills: nlp, robotics, ros"},
		{"no skill listed", nil, func(p *Program) { p.Skills = nil }, skills, 0, CodeSkillsNone, "The program lists no skills"},

		{"unrelated text", func(a *Applicant) { a.Skills = nil; a.Statement = "Baroque violin performance" }, nil, text, 0, CodeTextNone,
			"The statement and the program description share no terms"},
		{"identical text", func(a *Applicant) {
			a.Skills = nil
			a.Statement = "AI for disaster resilience summer research. Remote sensing and machine learning for earthquake and tsunami damage mapping. python remote sensing"
		}, nil, text, 1, CodeText, "Statement and program share 14 terms, most of all: remote, sensing, ai, damage, disaster"},

		{"one level above the minimum", nil, nil, language, 2.0 / 3, CodeLanguageMargin, "English C1 meets B2 (1 level above)"},
		{"just meets", func(a *Applicant) { a.Languages[0].Level = "B2" }, nil, language, 0.5, CodeLanguageMargin, "English B2 meets B2"},
		{"native", func(a *Applicant) { a.Languages[0].Level = "native" }, nil, language, 1, CodeLanguageMargin, "native English meets B2 (3 levels above)"},
		{"two requirements average", nil, func(p *Program) {
			p.Eligibility.Languages = append(p.Eligibility.Languages, taxonomy.LanguageRequirement{Code: "ja", MinLevel: "N5"})
		}, language, (2.0/3 + 0.6) / 2, CodeLanguageMargin, "JLPT N4 meets N5 (1 level above)"},
		{"no requirement: host language", nil, func(p *Program) { p.Eligibility.Languages = nil }, language, 2.0 / 6, CodeLanguageHost,
			"JLPT N4 for a program in Japan"},
		{"no requirement, no host language", func(a *Applicant) { a.Languages = a.Languages[:1] }, func(p *Program) { p.Eligibility.Languages = nil },
			language, 0, CodeLanguageHostNone, "No Japanese level given, the working language in Japan"},

		{"whole program covered", nil, nil, dates, 1, CodeDates, "Available for 92 of 92 program days (100%)"},
		{"part covered", func(a *Applicant) { a.AvailableTo = "2027-07-15" }, nil, dates, 45.0 / 92, CodeDates,
			"Available for 45 of 92 program days (48%)"},
		{"open-ended program", nil, func(p *Program) { p.EndDate = "" }, dates, 1, CodeDatesOpen,
			"The program has no fixed start and end dates to cover"},

		{"kind preferred, region not", nil, nil, prefs, 0.5, CodeRegionNotPreferred,
			"Miyagi is not among the preferred host regions (Tokyo)"},
		{"both preferred", func(a *Applicant) { a.Preferences.HostRegions = []string{"miyagi"} }, nil, prefs, 1, CodeRegionPreferred,
			"Preferred host region: Miyagi"},
		{"kind not preferred", func(a *Applicant) { a.Preferences.ProgramKinds = []string{"internship"} }, nil, prefs, 0, CodeKindNotPreferred,
			"Joint research is not among the preferred kinds (Internship)"},
		{"no preferences stated", func(a *Applicant) { a.Preferences = Preferences{} }, nil, prefs, 0.5, CodeKindPreferred, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, p := asha(), tohoku()
			a.Languages = slices.Clone(a.Languages)
			if tc.applicant != nil {
				tc.applicant(&a)
			}
			if tc.program != nil {
				tc.program(&p)
			}
			e := NewModel().Score(a, p, now)
			if !e.Eligible {
				t.Fatalf("Score(%s) is not eligible: %v", tc.name, e.Reasons)
			}
			if got := tc.component(e.Components); math.Abs(got-tc.want) > 1e-4 {
				t.Errorf("Score(%s) component = %.4f, want %.4f (components %+v)", tc.name, got, tc.want, e.Components)
			}
			r, ok := reasonWith(e.Reasons, tc.code, tc.text)
			switch {
			case tc.text == "" && ok:
				t.Errorf("Score(%s) has reason %q, want none with code %s", tc.name, r.Text, tc.code)
			case tc.text != "" && r.Text != tc.text:
				t.Errorf("Score(%s) reason %s = %q, want %q\nall: %v", tc.name, tc.code, r.Text, tc.text, e.Reasons)
			}
		})
	}
}

// TestScoreIsTheWeightedSum pins the weights: a change to weights.go must be
// deliberate and show up here.
func TestScoreIsTheWeightedSum(t *testing.T) {
	e := NewModel().Score(asha(), tohoku(), now)
	c := e.Components
	want := 0.25*c.Field + 0.25*c.Skills + 0.15*c.Text + 0.15*c.Language + 0.10*c.Dates + 0.10*c.Preferences
	if math.Abs(e.Score-want) > 1e-4 {
		t.Errorf("Score(asha, tohoku) = %.5f, want %.5f from components %+v", e.Score, want, c)
	}
	if e.Score <= 0 || e.Score >= 1 {
		t.Errorf("Score(asha, tohoku) = %v, want within (0, 1)", e.Score)
	}
	var codes []string
	for _, r := range e.Reasons {
		codes = append(codes, r.Code)
	}
	wantCodes := []string{CodeFieldDifferent, CodeSkills, CodeText, CodeLanguageMargin, CodeDates, CodeKindPreferred, CodeRegionNotPreferred}
	if !slices.Equal(codes, wantCodes) {
		t.Errorf("Score(asha, tohoku) reason codes = %v, want %v", codes, wantCodes)
	}
}

func TestScoreNotEligible(t *testing.T) {
	a := asha()
	a.HomeCountry = "JP"
	e := NewModel().Score(a, tohoku(), now)
	want := "Home country Japan is not accepted (accepted: India)"
	if e.Eligible || e.Score != 0 || len(e.Reasons) != 1 || e.Reasons[0].Text != want {
		t.Errorf("Score(applicant from JP, tohoku) = eligible %v score %v reasons %v; want not eligible, 0, [%q]", e.Eligible, e.Score, e.Reasons, want)
	}
	// The deadline is read at now, not at compile time.
	m := NewModel()
	af, pf := m.CompileApplicant(asha()), m.CompileProgram(tohoku(), now)
	later := time.Date(2027, 4, 2, 0, 0, 0, 0, time.UTC)
	if e := m.Explain(&af, &pf, later); e.Eligible || !strings.HasPrefix(e.Reasons[0].Text, "Applications closed") {
		t.Errorf("Explain(asha, tohoku, %v) = eligible %v, reasons %v; want closed", later, e.Eligible, e.Reasons)
	}
}

func TestFitIDF(t *testing.T) {
	// 200 programs all say "exchange"; "robotics" is in 10, "tsunami" in 1.
	var progs []Program
	for i := range 200 {
		d := "exchange semester"
		if i%20 == 0 {
			d += " robotics"
		}
		if i == 0 {
			d += " tsunami"
		}
		progs = append(progs, Program{Description: d})
	}
	m := Fit(nil, progs)
	f := m.CompileApplicant(Applicant{Statement: "exchange robotics tsunami"})
	weights := map[string]uint16{}
	for _, tw := range f.Terms() {
		weights[m.TermName(tw.Term)] = tw.Weight
	}
	if _, ok := weights["exchange"]; ok {
		t.Errorf("vector of %q has %q (in every document), want it dropped", "exchange robotics tsunami", "exchange")
	}
	if !(weights["tsunami"] > weights["robotics"] && weights["robotics"] > 0) {
		t.Errorf("weights = %v, want tsunami (df 1) > robotics (df 10) > 0", weights)
	}
	// A term first seen after Fit counts as found in no document: rarer
	// than the rarest term of the snapshot.
	g := m.CompileApplicant(Applicant{Statement: "tsunami hovercraft"})
	if terms := g.Terms(); len(terms) != 2 || m.TermName(terms[1].Term) != "hovercraft" || terms[1].Weight <= terms[0].Weight {
		t.Errorf("vector of %q = %v, want hovercraft weighing more than tsunami", "tsunami hovercraft", terms)
	}
}

func TestDot(t *testing.T) {
	tests := []struct {
		x, y []TermWeight
		want uint32
	}{
		{nil, nil, 0},
		{[]TermWeight{{1, 3}, {4, 5}}, []TermWeight{{2, 7}, {4, 2}}, 10},
		{[]TermWeight{{1, 3}, {2, 1}, {9, 2}}, []TermWeight{{1, 4}, {2, 5}, {9, 1}}, 19},
	}
	for _, tc := range tests {
		if got := Dot(tc.x, tc.y); got != tc.want {
			t.Errorf("Dot(%v, %v) = %d, want %d", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestPointsFloat(t *testing.T) {
	tests := []struct {
		p    Points
		want float64
	}{{0, 0}, {MaxPoints, 1}, {MaxPoints / 2, 0.5}}
	for _, tc := range tests {
		if got := tc.p.Float(); got != tc.want {
			t.Errorf("Points(%d).Float() = %v, want %v", tc.p, got, tc.want)
		}
	}
}

// BenchmarkPairScore measures the per-pair cost of scoring from compiled
// features, overlaps included (the recommender gets overlaps from its
// inverted index instead and calls PairPoints).
func BenchmarkPairScore(b *testing.B) {
	m := NewModel()
	var as []ApplicantFeatures
	var ps []ProgramFeatures
	for i := range 64 {
		a, p := asha(), tohoku()
		a.BirthYear = 1990 + i%15
		a.Skills = a.Skills[:1+i%3]
		p.Fields = []string{[]string{"1.2", "2.2", "2.3", "5.2"}[i%4]}
		as = append(as, m.CompileApplicant(a))
		ps = append(ps, m.CompileProgram(p, now))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		PairScore(&as[i&63], &ps[(i>>6)&63])
		i++
	}
}
