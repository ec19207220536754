package ui

import (
	"strconv"
	"strings"
	"time"
)

// Formatting of dates, times, numbers and money for each UI language,
// written out here rather than taken from a locale library: the three
// languages need only a few rules.

var hindiMonths = [12]string{"जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्तूबर", "नवंबर", "दिसंबर"}

var englishMonths = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// Japan and India time, by their names in the zone database (built in:
// see zone.go), so that a reader's choice of either is recognised.
var (
	jst = mustZone("Asia/Tokyo")
	ist = mustZone("Asia/Kolkata")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("ui: time zone " + name + ": " + err.Error())
	}
	return loc
}

// FormatDay writes a calendar day: "1 April 2027", "2027年4月1日",
// "1 अप्रैल 2027".
func FormatDay(lang string, t time.Time) string {
	y, m, d := t.Date()
	switch lang {
	case "ja":
		return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(d) + "日"
	case "hi":
		return strconv.Itoa(d) + " " + hindiMonths[m-1] + " " + strconv.Itoa(y)
	}
	return strconv.Itoa(d) + " " + englishMonths[m-1] + " " + strconv.Itoa(y)
}

// FormatDate formats a "YYYY-MM-DD" date as FormatDay does; anything else
// is returned as it is.
func FormatDate(lang, s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return FormatDay(lang, t)
}

// FormatTime writes an instant in the zone of the reader's language (when
// nothing better is known of the reader): "1 April 2027, 09:30 UTC",
// "2027年4月1日 18:30（日本時間）", "1 अप्रैल 2027, 15:00 (भारतीय समय)".
func FormatTime(lang string, t time.Time) string {
	return FormatTimeIn(lang, t, langZone(lang))
}

// FormatTimeIn writes an instant with its time of day in zone, named the
// way the language names it: India and Japan time by name in Japanese and
// Hindi, every other zone by its abbreviation ("BST", "+04").
func FormatTimeIn(lang string, t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	if zone == nil {
		zone = langZone(lang)
	}
	t = t.In(zone)
	name := zoneName(lang, t)
	if lang == "ja" {
		return FormatDay(lang, t) + " " + t.Format("15:04") + "（" + name + "）"
	}
	if lang == "hi" && name != t.Format("MST") {
		return FormatDay(lang, t) + ", " + t.Format("15:04") + " (" + name + ")"
	}
	return FormatDay(lang, t) + ", " + t.Format("15:04") + " " + name
}

// zoneNames are the names Japanese and Hindi readers know India, Japan and
// universal time by, keyed by the zones' abbreviations (which tzdata and
// the fixed zones above share).
var zoneNames = map[string]map[string]string{
	"ja": {"JST": "日本時間", "IST": "インド時間", "UTC": "協定世界時"},
	"hi": {"JST": "जापानी समय", "IST": "भारतीय समय", "UTC": "विश्व समय"},
}

// zoneName names the zone of t for a reader of lang: IST, JST and UTC are
// told apart by their offsets too, as "IST" is also Irish and Israeli time.
func zoneName(lang string, t time.Time) string {
	abbr, off := t.Zone()
	switch {
	case abbr == "IST" && off == 5*3600+1800, abbr == "JST" && off == 9*3600, abbr == "UTC" && off == 0:
		if n, ok := zoneNames[lang][abbr]; ok {
			return n
		}
	}
	return abbr
}

// langZone is the zone a language's readers most likely live in: Japan
// for Japanese, India for Hindi, UTC for English (the platform serves
// both countries).
func langZone(lang string) *time.Location {
	switch lang {
	case "ja":
		return jst
	case "hi":
		return ist
	}
	return time.UTC
}

// FormatInt writes a whole number with digit grouping: 1,234,567 in
// English and Japanese, 12,34,567 (lakh and crore) in Hindi.
func FormatInt(lang string, n int64) string {
	if lang == "hi" {
		return groupIndian(n)
	}
	return groupThousands(n)
}

func groupThousands(n int64) string {
	neg := n < 0
	s := strconv.FormatInt(n, 10)
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// groupIndian groups the last three digits, then every two.
func groupIndian(n int64) string {
	neg := n < 0
	s := strconv.FormatInt(n, 10)
	if neg {
		s = s[1:]
	}
	if len(s) > 3 {
		head, tail := s[:len(s)-3], s[len(s)-3:]
		var parts []string
		for len(head) > 2 {
			parts = append([]string{head[len(head)-2:]}, parts...)
			head = head[:len(head)-2]
		}
		parts = append([]string{head}, parts...)
		s = strings.Join(parts, ",") + "," + tail
	}
	if neg {
		return "-" + s
	}
	return s
}

// FormatMoney writes an amount of a currency: "¥150,000" or "150,000円",
// "₹1,50,000" (rupees are grouped the Indian way in every language).
func FormatMoney(lang string, amount int64, currency string) string {
	num := FormatInt(lang, amount)
	if currency == "INR" {
		num = groupIndian(amount)
	}
	switch currency {
	case "JPY":
		if lang == "ja" {
			return num + "円"
		}
		return "¥" + num
	case "INR":
		return "₹" + num
	case "USD":
		return "$" + num
	case "EUR":
		return "€" + num
	}
	return num + " " + currency
}

// FormatPercent writes a fraction in [0, 1] as a whole percentage.
func FormatPercent(f float64) string {
	return strconv.Itoa(int(f*100+0.5)) + "%"
}
