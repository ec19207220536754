// Package explain carries the reasons behind a decision shown to a person:
// why a profile is not eligible for a program, why a program scored as it did.
//
// A Reason has a stable Code and named Params so the UI can render it in
// Japanese or Hindi from its own message catalogue, and an English Text for
// logs, the API and any client without a translation.
package explain

import "fmt"

// Reason is one explained fact about a decision.
type Reason struct {
	// Code identifies the kind of reason, dot-separated, such as
	// "eligibility.language.unmet". Codes are stable: UIs key translations
	// on them.
	Code string `json:"code"`
	// Params are the values Text was built from, by name, so a translation
	// can place them ("language": "ja", "level": "N2", "min": "N3").
	Params map[string]string `json:"params,omitempty"`
	// Text is the reason in English.
	Text string `json:"text"`
}

// New builds a Reason from a code, its English text and its params given as
// name, value pairs. An odd number of pair arguments is a programming error
// and panics.
func New(code, text string, pairs ...string) Reason {
	if len(pairs)%2 != 0 {
		panic(fmt.Sprintf("explain.New(%q): odd number of param arguments", code))
	}
	r := Reason{Code: code, Text: text}
	if len(pairs) > 0 {
		r.Params = make(map[string]string, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			r.Params[pairs[i]] = pairs[i+1]
		}
	}
	return r
}

// String returns the English text.
func (r Reason) String() string { return r.Text }
