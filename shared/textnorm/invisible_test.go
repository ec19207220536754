package textnorm

import "testing"

func TestInvisible(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"plain Latin", "Asha Rao", false},
		{"Japanese", "佐藤 ゆい", false},
		{"Devanagari", "आशा राव", false},
		{"zero-width space", "Asha\u200bRao", true},
		{"right-to-left override", "\u202eevil\u202c Admin", true},
		{"left-to-right mark", "Admin\u200e", true},
		{"byte-order mark", "\ufeffAdmin", true},
		{"soft hyphen", "Ad\u00admin", true},
		{"word joiner", "Ad\u2060min", true},
		// क्‍ष: ka, virama, ZWJ, ssa asks for the half form of ka.
		{"joiner after a virama", "\u0915\u094d\u200d\u0937", false},
		{"non-joiner after a virama", "\u0915\u094d\u200c\u0937", false},
		{"joiner after a letter", "\u0915\u200d\u0937", true},
		{"joiner in Latin", "Ad\u200dmin", true},
		{"joiner first", "\u200dAdmin", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Invisible(tc.in); got != tc.want {
				t.Errorf("Invisible(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
