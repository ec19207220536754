package profiles

import "testing"

func TestFindableByHosts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		c        Consents
		findable bool
	}{
		{"consented under the notice that says so", Consents{NoticeVersion: FindableSince, VisibleToHosts: true}, true},
		{"consented under a later notice", Consents{NoticeVersion: "2027-04", VisibleToHosts: true}, true},
		{"consented when it meant hosts applied to", Consents{NoticeVersion: "2026-11", VisibleToHosts: true}, false},
		{"did not consent", Consents{NoticeVersion: FindableSince}, false},
		{"no notice recorded", Consents{VisibleToHosts: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.FindableByHosts(); got != tc.findable {
				t.Errorf("FindableByHosts(%+v) = %v, want %v", tc.c, got, tc.findable)
			}
		})
	}
}
