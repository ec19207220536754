package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Declining a host: only a pending (or declined) host, with a reason;
// verifying afterwards clears it; enabling a disabled declined host keeps
// it declined.
func TestDeclineHost(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	u, err := NewUser(newInput(RoleHost))
	if err != nil {
		t.Fatal(err)
	}
	var ve *ValidationError
	for _, bad := range []string{"", "   ", strings.Repeat("x", MaxReasonLength+1), "bad\x00byte"} {
		if _, err := u.Decline("c1", bad, now); !errors.As(err, &ve) || ve.Field != "reason" {
			t.Errorf("Decline(%q) = %v, want a reason field error", bad, err)
		}
	}
	if u.Status != StatusPending {
		t.Fatalf("a refused decline changed the status to %s", u.Status)
	}
	changed, err := u.Decline("c1", "  No registry extract.\nPlease send it.  ", now)
	if err != nil || !changed || u.Status != StatusDeclined || u.DeclineReason != "No registry extract.\nPlease send it." ||
		u.DeclinedBy != "c1" || !u.DeclinedAt.Equal(now) || !u.CanSignIn() {
		t.Fatalf("Decline = %v, %v; user %+v", changed, err, u)
	}
	if changed, err := u.Decline("c2", "No registry extract.\nPlease send it.", now); err != nil || changed {
		t.Errorf("the same decline again = %v, %v; want unchanged", changed, err)
	}
	if changed, _ := u.Decline("c2", "Another reason", now); !changed || u.DeclineReason != "Another reason" {
		t.Errorf("a new reason = %v, %q", changed, u.DeclineReason)
	}
	if _, err := u.Disable("admin", now); err != nil {
		t.Fatal(err)
	}
	if _, err := u.Decline("c1", "x", now); !errors.Is(err, ErrAccountDisabled) {
		t.Errorf("declining a disabled host = %v", err)
	}
	u.Enable(now)
	if u.Status != StatusDeclined {
		t.Errorf("enabled declined host is %s, want declined", u.Status)
	}
	if changed, err := u.Verify("c1", now); err != nil || !changed || u.Status != StatusActive || u.DeclineReason != "" || !u.DeclinedAt.IsZero() {
		t.Errorf("verify a declined host = %v, %v; %+v", changed, err, u)
	}
	if _, err := u.Decline("c1", "too late", now); !errors.Is(err, ErrHostVerified) {
		t.Errorf("declining a verified host = %v, want ErrHostVerified", err)
	}
	applicant, _ := NewUser(newInput(RoleApplicant))
	if _, err := applicant.Decline("c1", "x", now); !errors.Is(err, ErrNotAHost) {
		t.Errorf("declining an applicant = %v, want ErrNotAHost", err)
	}
}
