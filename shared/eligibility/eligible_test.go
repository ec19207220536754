package eligibility

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// Eligible decides exactly what Check decides: it runs the same rules and
// only skips writing the reasons. Random applicants and programs over the
// values each rule looks at, including unreadable dates and levels.
func TestEligibleAgreesWithCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 5))
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	some := func(vs ...string) []string {
		var out []string
		for _, v := range vs {
			if r.IntN(3) == 0 {
				out = append(out, v)
			}
		}
		return out
	}
	date := func() string {
		return pick("", "2026-12-01", "2027-03-31", "2027-06-01", "2027-08-31", "2028-01-15", "31/12/2027")
	}
	now := time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)
	eligible := 0
	for i := range 5000 {
		a := Applicant{Kind: pick("student", "researcher", "company", ""), HomeCountry: pick("IN", "JP", ""),
			DegreeLevel: pick("bachelor", "master", "phd", ""), BirthYear: []int{0, 1980, 1995, 2001, 2009}[r.IntN(5)],
			AvailableFrom: date(), AvailableTo: date()}
		for range r.IntN(3) {
			a.Languages = append(a.Languages, taxonomy.Language{Code: pick("en", "ja", "hi"), Level: pick("B1", "C1", "N2", "N5", "native", "Z9")})
		}
		p := Program{HostCountry: pick("JP", "IN", ""), StartDate: date(), EndDate: date(), ApplicationDeadline: date(),
			Eligibility: Rules{ApplicantKinds: some("student", "researcher", "company"), HomeCountries: some("IN", "JP"),
				DegreeLevels: some("bachelor", "master", "phd"), MinAge: []int{0, 0, 18, 25}[r.IntN(4)], MaxAge: []int{0, 0, 30, 40}[r.IntN(4)]}}
		for range r.IntN(2) {
			p.Eligibility.Languages = append(p.Eligibility.Languages, taxonomy.LanguageRequirement{Code: pick("en", "ja"), MinLevel: pick("B2", "N3", "X1")})
		}
		want := Check(a, p, now)
		if got := Eligible(a, p, now); got != want.Eligible {
			t.Fatalf("case %d: Eligible(%+v, %+v) = %v, Check says %v (%v)", i, a, p, got, want.Eligible, want.Reasons)
		}
		if want.Eligible != (len(want.Reasons) == 0) {
			t.Fatalf("case %d: Check says eligible %v with %d reasons", i, want.Eligible, len(want.Reasons))
		}
		if want.Eligible {
			eligible++
		}
	}
	if eligible == 0 || eligible == 5000 {
		t.Fatalf("%d of 5000 random cases eligible; the cases do not exercise both outcomes", eligible)
	}
}

// BenchmarkEligible compares deciding alone with deciding and explaining,
// for an applicant who meets every rule of a program with every rule set.
func BenchmarkEligible(b *testing.B) {
	a, p := asha(), program()
	now := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	if !Eligible(a, p, now) {
		b.Fatal("the benchmark's applicant should be eligible")
	}
	b.Run("Check", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Check(a, p, now)
		}
	})
	b.Run("Eligible", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Eligible(a, p, now)
		}
	})
}
