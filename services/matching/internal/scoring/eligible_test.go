package scoring

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// pick returns a random element.
func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func subset(r *rand.Rand, xs []string) []string {
	var out []string
	for _, x := range xs {
		if r.IntN(3) == 0 {
			out = append(out, x)
		}
	}
	return out
}

// randomDate returns a date around the test clock, sometimes empty or
// unreadable, so every branch of the date rules is exercised.
func randomDate(r *rand.Rand) string {
	switch r.IntN(12) {
	case 0, 1:
		return ""
	case 2:
		return pick(r, "2027-13-01", "soon")
	}
	d := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(800))
	return d.Format(eligibility.DateLayout)
}

func randomLanguages(r *rand.Rand) []taxonomy.Language {
	var out []taxonomy.Language
	for range r.IntN(4) {
		code := pick(r, "en", "ja", "hi", "ta", "xx")
		level := pick(r, taxonomy.JLPT.Codes()...)
		if code != "ja" || r.IntN(8) == 0 { // sometimes a level from the wrong scale
			level = pick(r, taxonomy.CEFR.Codes()...)
		}
		out = append(out, taxonomy.Language{Code: code, Level: level})
	}
	return out
}

func randomApplicant(r *rand.Rand) Applicant {
	return Applicant{
		Kind:          pick(r, append(taxonomy.ApplicantKinds.Codes(), "", "alien")...),
		HomeCountry:   pick(r, "IN", "JP", "IN", "JP", "", "US"),
		DegreeLevel:   pick(r, append(taxonomy.DegreeLevels.Codes(), "")...),
		BirthYear:     pick(r, 0, 1960+r.IntN(55)),
		Languages:     randomLanguages(r),
		AvailableFrom: randomDate(r),
		AvailableTo:   randomDate(r),
	}
}

func randomProgram(r *rand.Rand) Program {
	var reqs []taxonomy.LanguageRequirement
	for range r.IntN(3) {
		code := pick(r, "en", "ja", "hi")
		s, _ := taxonomy.ScaleFor(code)
		level := pick(r, s.Codes()...)
		if r.IntN(15) == 0 {
			code, level = pick(r, "ja", "xx"), "B2" // cannot be checked
		}
		reqs = append(reqs, taxonomy.LanguageRequirement{Code: code, MinLevel: level})
	}
	age := func() int {
		if r.IntN(2) == 0 {
			return 0
		}
		return 16 + r.IntN(30)
	}
	return Program{
		Kind:                pick(r, taxonomy.ProgramKinds.Codes()...),
		HostCountry:         pick(r, "JP", "IN", "JP", "IN", ""),
		StartDate:           randomDate(r),
		EndDate:             randomDate(r),
		ApplicationDeadline: randomDate(r),
		Eligibility: eligibility.Rules{
			ApplicantKinds: subset(r, taxonomy.ApplicantKinds.Codes()),
			HomeCountries:  subset(r, []string{"IN", "JP"}),
			DegreeLevels:   subset(r, taxonomy.DegreeLevels.Codes()),
			Languages:      reqs,
			MinAge:         age(),
			MaxAge:         age(),
		},
	}
}

// TestEligibleAgreesWithCheck is the contract of the compiled rules: on
// random pairs, including empty and unreadable values, Eligible decides as
// eligibility.Check does.
func TestEligibleAgreesWithCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m := NewModel()
	const pairs = 40000
	var eligible int
	for i := range pairs {
		a, p := randomApplicant(r), randomProgram(r)
		if i%4 == 0 { // make eligible pairs common enough to matter
			a.Kind, a.HomeCountry, a.DegreeLevel = "student", "IN", "master"
			p.HostCountry, p.Eligibility.HomeCountries = "JP", nil
			p.Eligibility.ApplicantKinds, p.Eligibility.DegreeLevels = nil, nil
			if r.IntN(2) == 0 {
				p.Eligibility.Languages = nil
			}
			if r.IntN(2) == 0 {
				p.Eligibility.MinAge, p.Eligibility.MaxAge = 0, 0
			}
			if r.IntN(2) == 0 {
				p.ApplicationDeadline = "2028-12-31"
			}
			if r.IntN(2) == 0 {
				a.AvailableFrom, a.AvailableTo = "", ""
			}
			if r.IntN(2) == 0 {
				p.StartDate, p.EndDate = "2027-06-01", "2027-08-31"
			}
		}
		at := now.Add(time.Duration(r.IntN(400*24)) * time.Hour)
		af, pf := m.CompileApplicant(a), m.CompileProgram(p, at)
		want := eligibility.Check(a.EligibilityApplicant(), p.EligibilityProgram(), at)
		if got := Eligible(&af, &pf); got != want.Eligible {
			t.Fatalf("Eligible(%+v, %+v) at %v = %v, want %v (Check reasons %v)", a, p, at, got, want.Eligible, want.Reasons)
		}
		// Admits may only rule out pairs that are not eligible.
		if want.Eligible && !pf.Admits(af.Group()) {
			t.Fatalf("Admits(Group(%+v)) for %+v = false, but the pair is eligible", a, p)
		}
		if want.Eligible {
			eligible++
		}
	}
	if eligible < pairs/20 {
		t.Errorf("only %d of %d random pairs were eligible; the generator no longer tests the eligible side", eligible, pairs)
	}
}

// TestPairPointsAgreesWithExplain checks that the hot path and the explained
// path give the same points.
func TestPairPointsAgreesWithExplain(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	m := NewModel()
	words := []string{"robotics", "machine", "learning", "disaster", "tsunami", "energy", "battery", "policy", "law", "music", "機械学習", "ロボット"}
	text := func() string {
		s := ""
		for range 3 + r.IntN(10) {
			s += pick(r, words...) + " "
		}
		return s
	}
	checked := 0
	for range 5000 {
		a, p := randomApplicant(r), randomProgram(r)
		a.Fields, p.Fields = subset(r, []string{"1.2", "2.2", "2.3", "1", "6.1"}), subset(r, []string{"1.2", "2.2", "2", "5.2"})
		a.Skills, p.Skills = subset(r, words), subset(r, words)
		a.Statement, p.Description = text(), text()
		a.Preferences = Preferences{ProgramKinds: subset(r, taxonomy.ProgramKinds.Codes()), HostRegions: subset(r, []string{"Tokyo", "Miyagi", "Karnataka"})}
		p.Region = pick(r, "Tokyo", "Miyagi", "Karnataka", "")
		af, pf := m.CompileApplicant(a), m.CompileProgram(p, now)
		pts, ok := PairScore(&af, &pf)
		e := m.Explain(&af, &pf, now)
		if ok != e.Eligible || pts != e.Points {
			t.Fatalf("PairScore = %d, %v; Explain = %d, %v for %+v / %+v", pts, ok, e.Points, e.Eligible, a, p)
		}
		if ok {
			checked++
			if e.Score < 0 || e.Score > 1 {
				t.Fatalf("Explain score = %v, want within [0, 1]", e.Score)
			}
		}
	}
	if checked == 0 {
		t.Errorf("no eligible pair was generated")
	}
}

func ExampleModel_Score() {
	e := NewModel().Score(asha(), tohoku(), now)
	fmt.Printf("score %.3f\n", e.Score)
	for _, r := range e.Reasons {
		fmt.Println(r.Text)
	}
	// Output:
	// score 0.525
	// Different field: Computer and information sciences; the program is in Electrical engineering, electronic engineering, information engineering
	// 1 of 2 skills: python
	// Statement and program share 6 terms, most of all: remote, sensing, learning, machine, disaster
	// English C1 meets B2 (1 level above)
	// Available for 92 of 92 program days (100%)
	// Preferred program kind: Joint research
	// Miyagi is not among the preferred host regions (Tokyo)
}
