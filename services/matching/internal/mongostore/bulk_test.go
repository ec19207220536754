package mongostore

import (
	"context"
	"fmt"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// A run's participants are inserted when new and replaced when a run of
// the round stored them before, in chunks larger than one bulk write;
// those the latest run left out are deleted, and the round's list of
// participants names exactly the latest run's.
func TestSaveRoundApplicantsInsertsReplacesAndDeletes(t *testing.T) {
	ctx := context.Background()
	s := New(mongotest.DB(t), nil, outbox.Config{})
	entry := func(i int, program string) domain.RoundApplicant {
		return domain.RoundApplicant{RoundID: "r1", ApplicantID: fmt.Sprintf("a%05d", i), HomeCountry: "IN",
			Choices: []string{program, "p9"}, ProgramID: program, Outcome: domain.OutcomeMatched,
			Reasons: []explain.Reason{explain.New("allocation.matched", "Matched.", "program", program)}}
	}
	run := func(entries []domain.RoundApplicant) {
		t.Helper()
		prior, err := s.RoundApplicantIDs(ctx, "r1")
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, e := range entries {
			keep = append(keep, e.ApplicantID)
		}
		if err := s.SaveRoundApplicants(ctx, "r1", entries, prior, keep); err != nil {
			t.Fatal(err)
		}
	}
	first := make([]domain.RoundApplicant, 0, 1500)
	for i := range 1500 {
		first = append(first, entry(i, "p1"))
	}
	run(first)
	// A second run: the first 700 change program, 300 new ones join, the
	// other 800 are left out.
	var second []domain.RoundApplicant
	for i := range 700 {
		second = append(second, entry(i, "p2"))
	}
	for i := 1500; i < 1800; i++ {
		second = append(second, entry(i, "p3"))
	}
	run(second)
	got, err := s.RoundApplicants(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(second) {
		t.Fatalf("%d participants stored, want %d", len(got), len(second))
	}
	want := map[string]string{}
	for _, e := range second {
		want[e.ApplicantID] = e.ProgramID
	}
	for _, e := range got {
		if e.ProgramID != want[e.ApplicantID] || len(e.Choices) != 2 || e.Choices[0] != e.ProgramID ||
			len(e.Reasons) != 1 || e.Reasons[0].Params["program"] != e.ProgramID {
			t.Fatalf("participant %s: program %q choices %v reasons %v, want %q", e.ApplicantID, e.ProgramID, e.Choices, e.Reasons, want[e.ApplicantID])
		}
	}
	ids, err := s.RoundApplicantIDs(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(second) {
		t.Fatalf("the round's list names %d participants, want %d", len(ids), len(second))
	}
	for _, a := range ids {
		if want[a] == "" {
			t.Fatalf("the round's list names %s, whom the latest run left out", a)
		}
	}
}

// A run that stopped after writing its entries but before deleting the
// stale ones left the round's list widened: the next run deletes them.
func TestSaveRoundApplicantsFinishesWhatAStoppedRunLeft(t *testing.T) {
	ctx := context.Background()
	s := New(mongotest.DB(t), nil, outbox.Config{})
	entry := func(a string) domain.RoundApplicant {
		return domain.RoundApplicant{RoundID: "r1", ApplicantID: a, Outcome: domain.OutcomeFilled}
	}
	if err := s.SaveRoundApplicants(ctx, "r1", []domain.RoundApplicant{entry("a1"), entry("a2")}, nil, []string{"a1", "a2"}); err != nil {
		t.Fatal(err)
	}
	// The stopped run: a3 joined (list widened, entry written), a2 was to
	// go, and the run ended there.
	if err := s.setRoundParticipants(ctx, "r1", []string{"a1", "a3", "a2"}); err != nil {
		t.Fatal(err)
	}
	if err := s.insertRoundApplicants(ctx, []domain.RoundApplicant{entry("a1"), entry("a3")}); err != nil {
		t.Fatal(err)
	}
	// The next run keeps only a1.
	prior, err := s.RoundApplicantIDs(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRoundApplicants(ctx, "r1", []domain.RoundApplicant{entry("a1")}, prior, []string{"a1"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.RoundApplicants(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ApplicantID != "a1" {
		t.Fatalf("participants after the next run: %v, want only a1", got)
	}
}
