package ui

import (
	"strings"
	"testing"
	"time"
)

func TestFormatTimeInNamesTheZone(t *testing.T) {
	at := time.Date(2027, 3, 31, 18, 30, 0, 0, time.UTC)
	london, newYork := mustZone("Europe/London"), mustZone("America/New_York")
	tests := []struct {
		lang string
		zone *time.Location
		want string
	}{
		{"en", jst, "1 April 2027, 03:30 JST"},
		{"en", ist, "1 April 2027, 00:00 IST"},
		{"en", london, "31 March 2027, 19:30 BST"},
		{"en", newYork, "31 March 2027, 14:30 EDT"},
		{"en", time.UTC, "31 March 2027, 18:30 UTC"},
		{"ja", ist, "2027年4月1日 00:00（インド時間）"},
		{"ja", time.UTC, "2027年3月31日 18:30（協定世界時）"},
		{"hi", jst, "1 अप्रैल 2027, 03:30 (जापानी समय)"},
		{"hi", london, "31 मार्च 2027, 19:30 BST"},
		{"en", nil, "31 March 2027, 18:30 UTC"},
	}
	for _, tc := range tests {
		if got := FormatTimeIn(tc.lang, at, tc.zone); got != tc.want {
			t.Errorf("FormatTimeIn(%q, %v, %v) = %q, want %q", tc.lang, at, tc.zone, got, tc.want)
		}
	}
	// "IST" is Irish summer time too: named by its abbreviation, never as India's.
	if got := FormatTimeIn("ja", time.Date(2027, 7, 1, 12, 0, 0, 0, time.UTC), mustZone("Europe/Dublin")); strings.Contains(got, "インド") {
		t.Errorf("Dublin summer time in Japanese = %q, named as India time", got)
	}
}

func TestLoadZoneTakesOnlyZoneNames(t *testing.T) {
	for _, name := range []string{"Asia/Kolkata", "Asia/Tokyo", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5"} {
		if loadZone(name) == nil {
			t.Errorf("loadZone(%q) = nil, want the zone", name)
		}
	}
	for _, name := range []string{"", "Local", "Mars/Olympus_Mons", "../../etc/passwd", "/usr/share/zoneinfo/UTC",
		"Asia/Tokyo; path=/", "Asia%2FTokyo", strings.Repeat("A", 65)} {
		if loc := loadZone(name); loc != nil {
			t.Errorf("loadZone(%q) = %v, want nil", name, loc)
		}
	}
}

func TestAtWritesATimeElementInTheReadersZone(t *testing.T) {
	at := time.Date(2027, 3, 31, 18, 30, 0, 0, time.UTC)
	p := &Page{Lang: "en", zone: jst}
	if got, want := string(p.At(at)), `<time datetime="2027-03-31T18:30:00Z">1 April 2027, 03:30 JST</time>`; got != want {
		t.Errorf("At = %s, want %s", got, want)
	}
	if got := p.At(time.Time{}); got != "" {
		t.Errorf("At(zero) = %q, want empty", got)
	}
	// Without a zone found, the language's.
	p = &Page{Lang: "hi"}
	if got := p.Time(at); got != "1 अप्रैल 2027, 00:00 (भारतीय समय)" {
		t.Errorf("Time in Hindi with no zone known = %q", got)
	}
}

func TestZoneOptionsChooseTheZoneInUse(t *testing.T) {
	now := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	opts := zoneOptions(mustZone("Africa/Nairobi"), now)
	if opts[0].Name != "Africa/Nairobi" || !opts[0].On || opts[0].Label != "Africa/Nairobi (UTC+03:00)" {
		t.Errorf("a zone not in the list comes first, chosen: got %+v", opts[0])
	}
	on := 0
	for _, o := range zoneOptions(ist, now) {
		if o.On {
			on++
			if o.Name != "Asia/Kolkata" || o.Label != "Asia/Kolkata (UTC+05:30)" {
				t.Errorf("chosen option = %+v, want Asia/Kolkata", o)
			}
		}
	}
	if on != 1 {
		t.Errorf("%d options chosen, want 1", on)
	}
}

func TestClosesGivesTheDeadlineInIndiaAndJapanTime(t *testing.T) {
	u := testUI(t)
	prog := sampleProgram // a Japanese host's, deadline 2027-03-31
	for lang, want := range map[string]string{
		"en": `<time datetime="2027-03-31T14:59:00Z">31 March 2027, 20:29 IST · 31 March 2027, 23:59 JST</time>`,
		"ja": `<time datetime="2027-03-31T14:59:00Z">2027年3月31日, 20:29 インド時間 · 2027年3月31日, 23:59 日本時間</time>`,
	} {
		p := &Page{Lang: lang, cat: u.cat}
		if got := string(p.Closes(prog)); got != want {
			t.Errorf("Closes in %s = %s, want %s", lang, got, want)
		}
	}
	prog.ApplicationDeadline = ""
	if got := (&Page{Lang: "en", cat: u.cat}).Closes(prog); got != "" {
		t.Errorf("Closes without a deadline = %q, want empty", got)
	}
}
