package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestStageMoves(t *testing.T) {
	t.Parallel()
	all := append(slices.Clone(Stages), stageCancelInterview)
	allowed := map[string]string{ // from → to pairs the stage machine allows
		StageSubmitted + ">" + StageReviewing:       "",
		StageReviewing + ">" + StageShortlisted:     "",
		StageReviewing + ">" + StageNotShortlisted:  "",
		StageShortlisted + ">" + StageScheduled:     "",
		StageScheduled + ">" + StageInterviewed:     "",
		StageScheduled + ">" + stageCancelInterview: "",
	}
	for _, from := range Stages {
		for _, to := range all {
			t.Run(from+">"+to, func(t *testing.T) {
				a := &Application{ID: "x", Status: ApplicationSubmitted, Stage: from, Version: 4}
				left, err := a.Move(to, StageChange{At: time.Unix(1, 0), By: "h1"})
				_, ok := allowed[from+">"+to]
				if ok != (err == nil) {
					t.Fatalf("Move(%s → %s) = %v, want allowed %v", from, to, err, ok)
				}
				if !ok {
					var ce *ConflictError
					if !errors.As(err, &ce) || ce.Code != "invalid_stage" || !strings.Contains(ce.Detail, "is "+from) {
						t.Errorf("Move(%s → %s) error = %v, want invalid_stage naming %s", from, to, err, from)
					}
					if a.Stage != from || a.Version != 4 || len(a.History) != 0 {
						t.Errorf("a refused move changed the application: %+v", a)
					}
					return
				}
				if left != from || a.Version != 5 || len(a.History) != 1 || a.History[0].Stage != a.Stage {
					t.Errorf("Move(%s → %s) left %s, application %+v", from, to, left, a)
				}
			})
		}
	}
	w := &Application{Status: ApplicationWithdrawn, Stage: StageSubmitted}
	if _, err := w.Move(StageReviewing, StageChange{}); err == nil {
		t.Error("a withdrawn application moved")
	}
}

func TestCancelInterviewNotice(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		before time.Duration
		ok     bool
	}{{48 * time.Hour, true}, {CancelNotice, true}, {CancelNotice - time.Minute, false}, {-time.Hour, false}} {
		a := &Application{Status: ApplicationSubmitted, Stage: StageScheduled,
			Interview: &Booking{SlotID: "s", Start: now.Add(tc.before), End: now.Add(tc.before + time.Hour)}}
		_, err := a.CancelInterview(StageChange{At: now})
		if (err == nil) != tc.ok {
			t.Errorf("cancel %s before = %v, want ok %v", tc.before, err, tc.ok)
		}
		if tc.ok && (a.Stage != StageShortlisted || a.Interview != nil) {
			t.Errorf("after cancelling: %+v", a)
		}
	}
}

func TestPassReason(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code, reason string
		field        string
	}{
		{"", "", "reason"}, {"unknown", "", "reasonCode"}, {"other", "", "reason"},
		{"seats_filled", "", ""}, {"", "Our seats went to PhD students", ""}, {"other", "x", ""},
		{"", strings.Repeat("a", MaxReasonLen+1), "reason"},
	} {
		_, err := PassReason(tc.code, tc.reason, "")
		var ve *ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("PassReason(%q, %q) = %v, want ok", tc.code, tc.reason, err)
		case tc.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != tc.field):
			t.Errorf("PassReason(%q, %q) = %v, want an error on %s", tc.code, tc.reason, err, tc.field)
		}
	}
}

func TestRecipients(t *testing.T) {
	t.Parallel()
	got := Recipients("h1", "a1", "h1", "", "a2", "a1")
	if fmt.Sprint(got) != "[a1 a2]" {
		t.Errorf("Recipients = %v, want [a1 a2]", got)
	}
}

func TestNewSlotsOverlap(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	existing := []Slot{{Start: at(10), End: at(12)}}
	ids := 0
	newID := func() string { ids++; return fmt.Sprint("s", ids) }
	for _, tc := range []struct {
		name string
		in   []SlotInput
		bad  []string
	}{
		{"apart", []SlotInput{{Start: at(1), End: at(2), Mode: ModeOnline}, {Start: at(2), End: at(3), Mode: ModeOnline}}, nil},
		{"inside an existing slot", []SlotInput{{Start: at(11), End: at(12), Mode: ModeOnline}}, []string{"slots[0]"}},
		{"nested in a long new one", []SlotInput{{Start: at(1), End: at(8), Mode: ModeOnline}, {Start: at(2), End: at(3), Mode: ModeOnline},
			{Start: at(5), End: at(6), Mode: ModeOnline}}, []string{"slots[1]", "slots[2]"}},
		{"too long", []SlotInput{{Start: at(20), End: at(30), Mode: ModeOnline}}, []string{"slots[0].end"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSlots(tc.in, existing, "p", "h", now, newID)
			var got []string
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, f := range ve.Fields {
					got = append(got, f.Field)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.bad) {
				t.Errorf("NewSlots errors on %v (%v), want %v", got, err, tc.bad)
			}
		})
	}
}

// FuzzNewSlots: whatever slots a host sends, NewSlots either refuses them
// or returns slots that start in the future, end after they start and
// overlap neither each other nor the existing slot.
func FuzzNewSlots(f *testing.F) {
	f.Add([]byte(`[{"Start":"2027-01-02T09:00:00Z","End":"2027-01-02T10:00:00Z","Mode":"online"}]`))
	f.Add([]byte(`[{"Start":"2027-01-02T09:00:00Z","End":"2027-01-02T10:00:00Z","Mode":"onsite","Location":"Sendai"},{"Start":"2027-01-02T09:30:00Z","End":"2027-01-02T11:00:00Z","Mode":"online"}]`))
	f.Add([]byte(`[{"Start":"2026-01-02T09:00:00Z"}]`))
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	existing := []Slot{{Start: now.Add(30 * time.Hour), End: now.Add(31 * time.Hour)}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var in []SlotInput
		if json.Unmarshal(raw, &in) != nil {
			return
		}
		n := 0
		out, err := NewSlots(in, existing, "p", "h", now, func() string { n++; return fmt.Sprint(n) })
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("NewSlots error %v is not a validation error with fields", err)
			}
			return
		}
		all := append(slices.Clone(existing), out...)
		for i, s := range out {
			if !s.Start.After(now) || !s.End.After(s.Start) || (s.Mode != ModeOnline && s.Mode != ModeOnsite) {
				t.Fatalf("accepted slot %+v", s)
			}
			for j, o := range all {
				if j != len(existing)+i && s.Start.Before(o.End) && o.Start.Before(s.End) {
					t.Fatalf("accepted slot %+v overlaps %+v", s, o)
				}
			}
		}
	})
}
