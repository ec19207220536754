package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Initials shortens a name to what a host may see of an applicant who did
// not apply to their program: the first letter of the first and of the
// last word, each followed by a full stop ("Asha K. Rao" → "A. R."). A name
// of one word gives one initial; a name written without spaces (as
// Japanese names often are) gives its first character only.
func Initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '・' })
	if len(words) == 0 {
		return ""
	}
	if len(words) > 2 {
		words = []string{words[0], words[len(words)-1]}
	}
	parts := make([]string, 0, len(words))
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		parts = append(parts, string(unicode.ToUpper(r))+".")
	}
	return strings.Join(parts, " ")
}
