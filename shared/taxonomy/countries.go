package taxonomy

import "time"

// Country codes (ISO 3166-1 alpha-2) of the two countries TalentBridge serves.
const (
	India = "IN"
	Japan = "JP"
)

// Country is one of the countries applicants come from and programs are
// hosted in.
type Country struct {
	Code   string `json:"code"`
	Labels Labels `json:"labels"`
	// TimeZone is the IANA name of the country's single time zone.
	TimeZone string `json:"timeZone"`
	// utcOffset is the zone's offset in seconds. Neither country observes
	// daylight saving time, so a fixed zone is exact and needs no tzdata.
	utcOffset int
}

// Location returns the country's time zone, for reading dates such as an
// application deadline as local calendar days.
func (c Country) Location() *time.Location {
	return time.FixedZone(c.TimeZone, c.utcOffset)
}

var countries = []Country{
	{Code: India, Labels: Labels{"India", "インド", "भारत"}, TimeZone: "Asia/Kolkata", utcOffset: 5*3600 + 30*60},
	{Code: Japan, Labels: Labels{"Japan", "日本", "जापान"}, TimeZone: "Asia/Tokyo", utcOffset: 9 * 3600},
}

// CountryByCode returns the country with the given ISO 3166-1 alpha-2 code.
func CountryByCode(code string) (Country, bool) {
	for _, c := range countries {
		if c.Code == code {
			return c, true
		}
	}
	return Country{}, false
}

// Countries returns the supported countries, India first.
func Countries() []Country {
	return append([]Country(nil), countries...)
}

// IsCountry reports whether code is a supported country code.
func IsCountry(code string) bool {
	_, ok := CountryByCode(code)
	return ok
}
