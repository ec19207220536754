package textnorm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// InvisibleReason is the reason a form gives for text that Invisible
// refuses.
const InvisibleReason = "must not contain invisible formatting characters (zero-width or bidi controls)"

// Zero-width non-joiner and joiner: Cf runes that Indic scripts need.
const (
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// viramaClass is the canonical combining class of a virama (halant).
const viramaClass = 9

// Invisible reports whether s holds a Unicode format character (category
// Cf: zero-width spaces, bidi controls, the byte-order mark and the like),
// which cannot be seen and so let one name pass for another. A zero-width
// joiner or non-joiner straight after a virama is allowed: Devanagari and
// the other Indic scripts use it to choose between a conjunct and a half
// form, as in Hindi names. This is the ContextJ rule of IDNA2008
// (RFC 5892, appendix A.1 and A.2, first condition).
func Invisible(s string) bool {
	prev := utf8.RuneError
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) && !((r == zwnj || r == zwj) && isVirama(prev)) {
			return true
		}
		prev = r
	}
	return false
}

func isVirama(r rune) bool {
	if r == utf8.RuneError {
		return false
	}
	return norm.NFD.PropertiesString(string(r)).CCC() == viramaClass
}
