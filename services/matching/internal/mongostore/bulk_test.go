package mongostore

import (
	"context"
	"fmt"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// A run's participants are inserted when new and replaced when a run of
// the round stored them before, in chunks larger than one bulk write: what
// is stored afterwards is exactly the latest run's entries.
func TestSaveRoundApplicantsInsertsAndReplaces(t *testing.T) {
	ctx := context.Background()
	s := New(mongotest.DB(t), nil, outbox.Config{})
	entry := func(i int, program string) domain.RoundApplicant {
		return domain.RoundApplicant{RoundID: "r1", ApplicantID: fmt.Sprintf("a%05d", i), HomeCountry: "IN",
			Choices: []string{program}, ProgramID: program, Outcome: domain.OutcomeMatched}
	}
	first := make([]domain.RoundApplicant, 0, 1500)
	for i := range 1500 {
		first = append(first, entry(i, "p1"))
	}
	if err := s.SaveRoundApplicants(ctx, first); err != nil {
		t.Fatal(err)
	}
	// A second run: the first 700 change program, 300 new ones join.
	var second []domain.RoundApplicant
	for i := range 700 {
		second = append(second, entry(i, "p2"))
	}
	for i := 1500; i < 1800; i++ {
		second = append(second, entry(i, "p3"))
	}
	if err := s.SaveRoundApplicants(ctx, second); err != nil {
		t.Fatal(err)
	}
	got, err := s.RoundApplicants(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1800 {
		t.Fatalf("%d participants stored, want 1800", len(got))
	}
	want := map[string]string{}
	for _, e := range append(first, second...) {
		want[e.ApplicantID] = e.ProgramID // the later entry wins
	}
	for _, e := range got {
		if e.ProgramID != want[e.ApplicantID] || len(e.Choices) != 1 || e.Choices[0] != e.ProgramID {
			t.Fatalf("participant %s: program %q choices %v, want %q", e.ApplicantID, e.ProgramID, e.Choices, want[e.ApplicantID])
		}
	}
}
