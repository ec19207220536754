// Package textnorm brings the spellings of one text together and splits
// text into index terms. Program search and match scoring both use it, so a
// word typed one way in a query finds the same word written another way in
// a program or a profile.
//
// Normalization is Unicode NFKC followed by lower-casing: full-width Latin
// (Ｐｙｔｈｏｎ) becomes ASCII, half-width katakana (ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ) becomes
// full-width with its voiced marks composed (プログラミング), and compatibility
// forms such as ligatures fall back to their plain letters.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in the form every spelling of it shares: NFKC, lower-cased,
// with runs of white space collapsed to one space and none at either end
// ("Machine  Learning" and "ｍａｃｈｉｎｅ learning" fold alike).
func Fold(s string) string {
	s = strings.Map(lower, norm.NFKC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// lower lower-cases a rune, sparing ASCII the Unicode tables.
func lower(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

// english is the one English stop-word list: function words that say
// nothing about a topic. It is short on purpose; words merely common in
// this domain ("research", "program") are left to the rankers (IDF, BM25).
// Japanese needs none (its runs become bigrams) and no other language has
// one yet.
var english = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		a about also am an and any are as at be been being but by can could did do does
		for from had has have he her his how i if in into is it its just me more most my
		no not of on or our over she so such than that the their them then there these
		they this those through to too under up very was we were what when where which
		while who will with would you your`) {
		english[w] = true
	}
}
