package domain

import (
	"errors"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/placementrules"
)

func TestDirection(t *testing.T) {
	tests := []struct {
		host, home, want string
		err              error
	}{
		{"JP", "IN", "IN_JP", nil},
		{"IN", "JP", "JP_IN", nil},
		{"JP", "JP", "", ErrNoDirection},
		{"IN", "", "", ErrNoDirection},
	}
	for _, tc := range tests {
		got, err := Direction(tc.host, tc.home)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("Direction(%q, %q) = %q, %v; want %q, %v", tc.host, tc.home, got, err, tc.want, tc.err)
		}
	}
}

func newPlacement(t *testing.T) *Placement {
	t.Helper()
	rules, err := placementrules.DefaultChecklist()
	if err != nil {
		t.Fatal(err)
	}
	p, err := New("p1", Offer{MatchID: "m1", ApplicantID: "a1", ProgramID: "g1", HostID: "h1", HostCountry: "JP",
		HomeCountry: "IN", Kind: "exchange", StartDate: "2027-06-01", EndDate: "2027-11-30"}, rules, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStatusAndAlerts(t *testing.T) {
	p := newPlacement(t)
	at := func(s string) time.Time {
		d, _ := ParseDate(s)
		return d.Add(10 * time.Hour)
	}
	tests := []struct {
		now, status string
		overdue     int
	}{
		{"2027-01-10", "preparing", 0},
		{"2027-02-21", "preparing", 0}, // due today is not late yet
		{"2027-02-22", "preparing", 1},
		{"2027-06-01", "active", 5},
	}
	for _, tc := range tests {
		_, overdue := p.Counts(at(tc.now))
		if got := p.Status(at(tc.now)); got != tc.status || overdue != tc.overdue {
			t.Errorf("at %s: Status = %s with %d overdue, want %s with %d", tc.now, got, overdue, tc.status, tc.overdue)
		}
	}
	if got := p.NextAlert().Format(placementrules.DateLayout); got != "2027-02-21" {
		t.Errorf("NextAlert = %s, want the CoE application's due date", got)
	}
	if err := p.Complete(Actor{ID: "h1"}, at("2027-11-30")); err != nil {
		t.Fatal(err)
	}
	if !p.NextAlert().IsZero() || p.AtRisk(at("2028-01-01")) {
		t.Error("a completed placement still waits for alerts or is at risk")
	}
}

func TestRescheduleKeepsDoneTasks(t *testing.T) {
	p := newPlacement(t)
	rules, _ := placementrules.DefaultChecklist()
	if _, err := p.MarkDone(Actor{ID: "h1"}, "jp_coe_apply", "filed", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := p.Reschedule("2027-09-01", "2028-02-28", rules); err != nil {
		t.Fatal(err)
	}
	coe, _ := p.Task("jp_coe_apply")
	if coe.Open() || coe.Note != "filed" || coe.Due.Format(placementrules.DateLayout) != "2027-05-24" {
		t.Errorf("after rescheduling, CoE task = %+v", coe)
	}
	if err := p.Reschedule("2027-09-01", "2027-08-01", rules); err == nil {
		t.Error("Reschedule with the end before the start: no error")
	}
}
