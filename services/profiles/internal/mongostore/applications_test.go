package mongostore

import (
	"context"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// Application events arrive more than once and out of order: the entry
// ends in the state of the latest version whatever the order.
func TestRecordKeepsTheLatestVersion(t *testing.T) {
	ctx := context.Background()
	s := New(mongotest.DB(t), outbox.Config{})
	at := time.Now().UTC()
	sub := app.Application{ID: "ap1", ApplicantID: "a1", ProgramID: "p1", HostID: "h1", Status: app.ApplicationSubmitted, At: at}
	wd := sub
	wd.Status = app.ApplicationWithdrawn
	applied := func(want bool) {
		t.Helper()
		got, err := s.HasApplied(ctx, "a1", "h1")
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("HasApplied = %v, want %v", got, want)
		}
	}
	steps := []struct {
		a       app.Application
		version int64
		applied bool
	}{
		{sub, 1, true},  // new
		{sub, 1, true},  // repeated
		{wd, 2, false},  // withdrawn
		{sub, 1, false}, // the submission again, late
		{wd, 2, false},  // the withdrawal again
	}
	for _, st := range steps {
		if err := s.Record(ctx, st.a, st.version); err != nil {
			t.Fatal(err)
		}
		applied(st.applied)
	}
	// A withdrawal that arrives before its submission is kept too.
	late := sub
	late.ID, late.ApplicantID = "ap2", "a2"
	lateWd := late
	lateWd.Status = app.ApplicationWithdrawn
	if err := s.Record(ctx, lateWd, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, late, 1); err != nil {
		t.Fatal(err)
	}
	if got, err := s.HasApplied(ctx, "a2", "h1"); err != nil || got {
		t.Fatalf("a2 withdrew (version 2) before the submission (version 1) arrived: HasApplied = %v, %v; want false", got, err)
	}
}
