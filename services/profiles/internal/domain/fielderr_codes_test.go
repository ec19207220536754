package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// TestEveryProblemHasACode runs Validate over a corpus of bad profiles
// and checks that every problem it reports carries a known field error
// code with the parameters that code lists (pages word problems from the
// code; the English reason is for API clients only).
func TestEveryProblemHasACode(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	many := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s + strings.Repeat("x", i)
		}
		return out
	}
	bad := []Draft{
		{},
		{Details: Details{Kind: "professor", Name: strings.Repeat("n", 300), HomeCountry: "US", Region: "Gotham",
			Fields: append(many(11, "9.9"), "1.2", "1.2"), Skills: append(many(31, "s"), "", "a\x01b", strings.Repeat("k", 70), "go", "Go"),
			Languages:   []taxonomy.Language{{Code: "xx", Level: "A1"}, {Code: "ja", Level: "B2"}, {Code: "en", Level: "C1"}, {Code: "en", Level: "C1"}},
			DegreeLevel: "diploma", BirthYear: 1800, AvailableFrom: "1 April", AvailableTo: "3000-01-01",
			Preferences: Preferences{ProgramKinds: []string{"vacation", "internship", "internship"}, HostRegions: append(many(21, "Gotham"), "Tokyo", "Tokyo")},
			Statement:   strings.Repeat("w", 4001), Gender: "robot", Categories: []string{"caste", "rural", "rural"}},
			Consents: ConsentChoice{NoticeVersion: "1999-01"}},
		{Details: Details{Kind: "student", Name: "A\u200bB", HomeCountry: "IN", BirthYear: now.Year() - 15,
			AvailableFrom: "2027-05-01", AvailableTo: "2027-04-01", Statement: "a\x00b", Institution: "\xff"},
			Consents: ConsentChoice{NoticeVersion: NoticeVersion, DataProcessing: true}},
		{Details: Details{Kind: "student", Name: "A", HomeCountry: "IN", BirthYear: 1990},
			Consents: ConsentChoice{NoticeVersion: NoticeVersion, DataProcessing: true}, Guardian: &GuardianChoice{Relation: "neighbour"}},
		{Details: Details{Kind: "student", Name: "A", HomeCountry: "IN", BirthYear: 1990},
			Consents: ConsentChoice{NoticeVersion: NoticeVersion, DataProcessing: true}, Guardian: &GuardianChoice{Name: "B"}},
	}
	seen := map[fielderr.Code]bool{}
	for i, d := range bad {
		_, err := Validate(d, now)
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) == 0 {
			t.Fatalf("draft %d: Validate = %v, want problems", i, err)
		}
		for _, p := range ve.Problems {
			seen[p.Code] = true
			if err := fielderr.Check(p); err != nil {
				t.Errorf("draft %d: %v", i, err)
			}
		}
	}
	for _, s := range []string{"", strings.Repeat("a", 250) + "@example.org", "a\u200b@example.org", "not an address"} {
		_, err := NormalizeEmail(s)
		var fe fielderr.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("NormalizeEmail(%q) = %v, want a field error", s, err)
			continue
		}
		seen[fe.Code] = true
		if err := fielderr.Check(fe); err != nil {
			t.Errorf("NormalizeEmail(%q): %v", s, err)
		}
	}
	// The corpus reaches the codes a profile form shows most.
	for _, c := range []fielderr.Code{fielderr.Required, fielderr.OneOf, fielderr.TooLong, fielderr.TooMany, fielderr.DateOrder,
		fielderr.LevelScale, fielderr.Year, fielderr.Region, fielderr.Duplicate, fielderr.GuardianRequired, fielderr.GuardianAdult,
		fielderr.NoticeVersion, fielderr.ConsentRequired, fielderr.FormatCharacter, fielderr.ControlCharacter, fielderr.Email} {
		if !seen[c] {
			t.Errorf("no bad profile in the corpus gave code %s", c)
		}
	}
}
