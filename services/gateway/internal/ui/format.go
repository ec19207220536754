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

// Time zones times are shown in: Japanese readers get Japan time, Hindi
// readers Indian time, English readers UTC (the platform serves both
// countries).
var (
	jst = time.FixedZone("JST", 9*3600)
	ist = time.FixedZone("IST", 5*3600+1800)
)

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

// FormatTime writes an instant with its time of day in the reader's zone:
// "1 April 2027, 09:30 UTC", "2027年4月1日 18:30（日本時間）",
// "1 अप्रैल 2027, 15:00 (भारतीय समय)".
func FormatTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	switch lang {
	case "ja":
		t = t.In(jst)
		return FormatDay(lang, t) + " " + t.Format("15:04") + "（日本時間）"
	case "hi":
		t = t.In(ist)
		return FormatDay(lang, t) + ", " + t.Format("15:04") + " (भारतीय समय)"
	}
	t = t.UTC()
	return FormatDay(lang, t) + ", " + t.Format("15:04") + " UTC"
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
