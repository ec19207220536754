package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/fielderr"
)

// TestEveryFieldErrorHasACode runs the request checks of matching over
// bad input and checks that every field error carries a known code with
// the parameters that code lists.
func TestEveryFieldErrorHasACode(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	id := func() string { return "s" }
	days, bigDays := 0, 1000
	later := now.Add(400 * 24 * time.Hour)
	round := &Round{}
	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }
	add(NewRound("r", "", nil, -1, "c", now))
	add(NewRound("r", strings.Repeat("n", MaxRoundName+1), []string{"p", "p", " "}, MaxSeed+1, "c", now))
	add(NewRound("r", "a\x01b", make([]string, MaxRoundPrograms+1), 0, "c", now))
	add(NewSlots(nil, nil, "p", "h", now, id))
	add(NewSlots([]SlotInput{{}, {Start: now.Add(-time.Hour), End: now.Add(-2 * time.Hour), Mode: "phone"},
		{Start: now.Add(time.Hour), End: now.Add(20 * time.Hour), Mode: ModeOnsite, Location: strings.Repeat("l", MaxLocationLen+1)}}, nil, "p", "h", now, id))
	add(NewSlots([]SlotInput{{Start: now.Add(time.Hour), End: now.Add(2 * time.Hour), Mode: ModeOnline},
		{Start: now.Add(90 * time.Minute), End: now.Add(3 * time.Hour), Mode: ModeOnline}}, nil, "p", "h", now, id))
	add(PassReason("", "", ""))
	add(PassReason("nope", strings.Repeat("r", MaxReasonLen+1), strings.Repeat("n", MaxNoteLen+1)))
	add(nil, ValidateDocumentIDs([]string{"", strings.Repeat("d", MaxIDLen+1), "a", "a"}))
	add(nil, ValidateDocumentIDs(make([]string, MaxDocumentsPerApp+1)))
	add(nil, Audience{}.Check())
	add(nil, Audience{Stage: "x", MatchStatus: "y", RoundID: strings.Repeat("i", MaxIDLen+1)}.Check())
	add(OfferDays(&days))
	add(OfferDays(&bigDays))
	add(round.RespondBy(now, &now))
	add(round.RespondBy(now, &later))
	_, _, err := MessageText("", "", true)
	add(nil, err)
	_, _, err = MessageText(strings.Repeat("s", MaxSubjectLen+1), strings.Repeat("b", MaxMessageLen+1), true)
	add(nil, err)
	add(nil, ValidateRanking(make([]string, MaxRanked+1), nil))
	add(nil, ValidateRanking([]string{"a", "a", "b"}, map[string]bool{"a": true}))
	add(nil, ValidateProgramRanking(make([]string, MaxHostRanked+1), nil))

	seen := map[fielderr.Code]bool{}
	for i, err := range errs {
		var fields []FieldError
		var ve *ValidationError
		var re *RuleError
		switch {
		case errors.As(err, &ve):
			fields = ve.Fields
		case errors.As(err, &re):
			fields = re.Fields
		default:
			t.Errorf("check %d: %v, want field errors", i, err)
		}
		for _, f := range fields {
			seen[f.Code] = true
			if err := fielderr.Check(f); err != nil {
				t.Errorf("check %d: %v", i, err)
			}
		}
	}
	for _, c := range []fielderr.Code{fielderr.Required, fielderr.TooLong, fielderr.TooMany, fielderr.TooFew, fielderr.Range,
		fielderr.Duplicate, fielderr.OneOf, fielderr.DateFuture, fielderr.DateTooFar, fielderr.DateOrder, fielderr.Duration,
		fielderr.Overlap, fielderr.Format, fielderr.NotAvailable, fielderr.ControlCharacter} {
		if !seen[c] {
			t.Errorf("no bad request in the corpus gave code %s", c)
		}
	}
}
