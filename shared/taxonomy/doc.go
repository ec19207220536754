// Package taxonomy holds the reference data every service agrees on: the
// OECD Fields of Science and Technology, the two countries and their regions,
// the applicant, program and degree enumerations, and the languages with
// their proficiency scales.
//
// It is data, not policy. Whether a level is "enough" for a program, or which
// countries a program accepts by default, is decided by the packages that own
// those rules (eligibility, scoring); this package only answers "is this a
// known code?" and "what is it called in English, Japanese and Hindi?".
//
// Slices returned by this package are copies; the tables cannot be changed by
// callers. Orders are stable (they are the order of the tables below), so
// callers may use positions as compact ids.
package taxonomy

// Labels is a display label in each language the UI serves. Every entry in
// this package carries all three; a test fails when one is empty.
type Labels struct {
	En string `json:"en"`
	Ja string `json:"ja"`
	Hi string `json:"hi"`
}

// In returns the label for a UI language ("en", "ja" or "hi"), falling back
// to English for any other code.
func (l Labels) In(lang string) string {
	switch lang {
	case "ja":
		return l.Ja
	case "hi":
		return l.Hi
	default:
		return l.En
	}
}
