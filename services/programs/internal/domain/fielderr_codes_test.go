package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// TestEveryFieldErrorHasACode validates a corpus of bad programs and checks
// that every field error carries a known code with the parameters that
// code lists.
func TestEveryFieldErrorHasACode(t *testing.T) {
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	seats, tooMany, two := -1, MaxSeats+1, 2
	bad := []Content{
		{},
		{Title: strings.Repeat("t", MaxTitle+1), TitleJa: "a\x01b", Description: "\xff", HostOrg: "Org\u200b", Kind: "holiday",
			HostCountry: "US", Region: "Gotham", Fields: []string{"9.9", "1.2", "1.2"}, Skills: []string{strings.Repeat("s", MaxSkill+1)},
			Seats: &seats, ReserveOrder: "middle", StartDate: "2027-06-01", EndDate: "2027-05-01", ApplicationDeadline: "2027-07-01",
			Stipend: &Stipend{Amount: -1, Currency: "XYZ", Period: "decade"},
			Eligibility: eligibility.Rules{ApplicantKinds: []string{"alien", "student", "student"}, HomeCountries: []string{"US"},
				DegreeLevels: []string{"x"}, Languages: []taxonomy.LanguageRequirement{{}, {Code: "xx", MinLevel: "A1"}, {Code: "ja", MinLevel: "B2"}, {Code: "en", MinLevel: "B2"}, {Code: "en", MinLevel: "B2"}},
				MinAge: 40, MaxAge: 30}},
		{Title: "T", Description: "D", HostOrg: "O", Kind: "internship", HostCountry: "IN", Region: "Tokyo",
			Fields: make([]string, MaxFields+1), Skills: make([]string, MaxSkills+1), Seats: &tooMany,
			StartDate: "1 June", EndDate: "2027-08-01", ApplicationDeadline: "2026-01-01",
			Eligibility: eligibility.Rules{MinAge: -1, MaxAge: 500}},
		{Title: "T", Description: "D", HostOrg: "O", Kind: "internship", HostCountry: "JP", Region: "Tokyo", Fields: []string{"1.2"},
			Seats: &two, ReserveOrder: ReserveLast, StartDate: "2027-06-01", EndDate: "2027-08-01", ApplicationDeadline: "2026-01-01",
			Reserves: []Reserve{{Category: "rural", Seats: 2}, {Category: "rural", Seats: 0}, {Category: "caste", Seats: 2}}},
	}
	seen := map[fielderr.Code]bool{}
	for i, c := range bad {
		err := c.Normalize().Validate(now)
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) == 0 {
			t.Fatalf("program %d: Validate = %v, want field errors", i, err)
		}
		for _, f := range ve.Fields {
			seen[f.Code] = true
			if err := fielderr.Check(f); err != nil {
				t.Errorf("program %d: %v", i, err)
			}
		}
	}
	for _, c := range []fielderr.Code{fielderr.Required, fielderr.OneOf, fielderr.TooLong, fielderr.TooMany, fielderr.TooFew,
		fielderr.Range, fielderr.DateOrder, fielderr.DeadlineOrder, fielderr.DatePast, fielderr.Format, fielderr.UnknownCode,
		fielderr.Duplicate, fielderr.Region, fielderr.LevelScale, fielderr.NumberOrder, fielderr.SumTooLarge,
		fielderr.ControlCharacter, fielderr.FormatCharacter, fielderr.TextEncoding} {
		if !seen[c] {
			t.Errorf("no bad program in the corpus gave code %s", c)
		}
	}
}
