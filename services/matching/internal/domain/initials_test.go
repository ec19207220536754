package domain

import "testing"

func TestInitials(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Asha Rao", "A. R."},
		{"asha kumari rao", "A. R."},
		{"  Ravi  ", "R."},
		{"山田花子", "山."},
		{"山田 花子", "山. 花."},
		{"आशा राव", "आ. र."},
		{"", ""},
	} {
		if got := Initials(tc.name); got != tc.want {
			t.Errorf("Initials(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
