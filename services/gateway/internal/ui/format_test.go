package ui

import (
	"slices"
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	tests := []struct {
		lang, in, want string
	}{
		{"en", "2027-04-01", "1 April 2027"},
		{"ja", "2027-04-01", "2027年4月1日"},
		{"hi", "2027-04-01", "1 अप्रैल 2027"},
		{"hi", "2026-12-31", "31 दिसंबर 2026"},
		{"ja", "not a date", "not a date"},
	}
	for _, tc := range tests {
		if got := FormatDate(tc.lang, tc.in); got != tc.want {
			t.Errorf("FormatDate(%q, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

func TestFormatTime(t *testing.T) {
	at := time.Date(2027, 3, 31, 18, 30, 0, 0, time.UTC)
	tests := []struct {
		lang, want string
	}{
		{"en", "31 March 2027, 18:30 UTC"},
		{"ja", "2027年4月1日 03:30（日本時間）"},
		{"hi", "1 अप्रैल 2027, 00:00 (भारतीय समय)"},
	}
	for _, tc := range tests {
		if got := FormatTime(tc.lang, at); got != tc.want {
			t.Errorf("FormatTime(%q, %v) = %q, want %q", tc.lang, at, got, tc.want)
		}
	}
}

func TestFormatInt(t *testing.T) {
	tests := []struct {
		lang string
		n    int64
		want string
	}{
		{"en", 0, "0"},
		{"en", 999, "999"},
		{"en", 1000, "1,000"},
		{"ja", 1234567, "1,234,567"},
		{"en", -1234567, "-1,234,567"},
		{"hi", 999, "999"},
		{"hi", 1000, "1,000"},
		{"hi", 100000, "1,00,000"},
		{"hi", 12345678, "1,23,45,678"},
		{"hi", -150000, "-1,50,000"},
	}
	for _, tc := range tests {
		if got := FormatInt(tc.lang, tc.n); got != tc.want {
			t.Errorf("FormatInt(%q, %d) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	tests := []struct {
		lang     string
		amount   int64
		currency string
		want     string
	}{
		{"en", 150000, "JPY", "¥150,000"},
		{"ja", 150000, "JPY", "150,000円"},
		{"hi", 150000, "JPY", "¥1,50,000"},
		{"en", 150000, "INR", "₹1,50,000"},
		{"ja", 2500000, "INR", "₹25,00,000"},
		{"en", 1500, "USD", "$1,500"},
		{"en", 1500, "XYZ", "1,500 XYZ"},
	}
	for _, tc := range tests {
		if got := FormatMoney(tc.lang, tc.amount, tc.currency); got != tc.want {
			t.Errorf("FormatMoney(%q, %d, %q) = %q, want %q", tc.lang, tc.amount, tc.currency, got, tc.want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"/programs?q=ai", "/programs?q=ai"},
		{"/", "/"},
		{"", "/home"},
		{"//evil.example/", "/home"},
		{"/\\evil.example", "/home"},
		{"https://evil.example/", "/home"},
		{"javascript:alert(1)", "/home"},
		{"programs", "/home"},
		{"/ok\r\nSet-Cookie: x=y", "/home"},
	}
	for _, tc := range tests {
		if got := localPath(tc.in, "/home"); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMove(t *testing.T) {
	tests := []struct {
		ids            []string
		id, dir, place string
		want           []string
	}{
		{[]string{"a", "b", "c"}, "b", "up", "", []string{"b", "a", "c"}},
		{[]string{"a", "b", "c"}, "b", "down", "", []string{"a", "c", "b"}},
		{[]string{"a", "b", "c"}, "a", "up", "", []string{"a", "b", "c"}},
		{[]string{"a", "b", "c"}, "c", "down", "", []string{"a", "b", "c"}},
		{[]string{"a", "b", "c"}, "x", "up", "", []string{"a", "b", "c"}},
		{[]string{"a", "b", "c"}, "b", "sideways", "", []string{"a", "b", "c"}},
		// Straight to a place, in one step, shifting the ones between.
		{[]string{"a", "b", "c", "d"}, "d", "to", "1", []string{"d", "a", "b", "c"}},
		{[]string{"a", "b", "c", "d"}, "a", "to", "3", []string{"b", "c", "a", "d"}},
		{[]string{"a", "b", "c", "d"}, "b", "to", "2", []string{"a", "b", "c", "d"}},
		{[]string{"a", "b", "c", "d"}, "b", "to", "9", []string{"a", "b", "c", "d"}},
		{[]string{"a", "b", "c", "d"}, "b", "to", "0", []string{"a", "b", "c", "d"}},
		{[]string{"a", "b", "c", "d"}, "b", "to", "two", []string{"a", "b", "c", "d"}},
	}
	for _, tc := range tests {
		in := append([]string(nil), tc.ids...)
		got := move(in, tc.id, tc.dir, tc.place)
		if !slices.Equal(got, tc.want) {
			t.Errorf("move(%v, %q, %q, %q) = %v, want %v", tc.ids, tc.id, tc.dir, tc.place, got, tc.want)
		}
	}
}

func TestRefusalNotices(t *testing.T) {
	for n, want := range map[string]bool{
		"matches_undecided": true, "round_refused": true, "refused_host_not_verified": true, "respond_by_invalid": true,
		"interview_too_late": true, "match_changed": true, "bulk_refused": true, "approve_none_refused": true,
		"match_approved": false, "match_rejected": false, "round_published": false, "withdrawn": false, "matches_approved": false,
	} {
		if got := refusal(n); got != want {
			t.Errorf("refusal(%q) = %v, want %v", n, got, want)
		}
	}
}
