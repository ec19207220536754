package scoring

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are English function words that carry no topic. The list is
// short on purpose: words that are merely common in this corpus ("research",
// "program") are left to IDF and the document-frequency cut-off.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		a about also am an and any are as at be been being but by can could did do does
		for from had has have he her his how i if in into is it its just me more most my
		no not of on or our over she so such than that the their them then there these
		they this those through to too under up very was we were what when where which
		while who will with would you your`) {
		stopwords[w] = true
	}
}

// fold maps full-width ASCII forms (Ｐｙｔｈｏｎ, ＡＩ), common in Japanese
// text, to ASCII and lowercases, so both spellings meet in one term.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// isCJK reports whether r belongs to a run that is split into character
// bigrams: Han, Hiragana and Katakana, plus the long-vowel mark and the
// iteration mark, which are written inside Japanese words.
func isCJK(r rune) bool {
	return r >= 0x2E80 && (r == 'ー' || r == '々' ||
		unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana))
}

// isWord reports whether r continues a space-separated word: letters, digits
// and combining marks (Devanagari vowel signs are marks).
func isWord(r rune) bool {
	if r < utf8.RuneSelf { // most text is ASCII; skip the Unicode tables
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokenizer splits text into index terms. English and other space-separated
// scripts give lowercased words minus stopwords, single Latin letters and
// bare numbers; Japanese (and Chinese) runs give overlapping character
// bigrams, the usual way to index text without a dictionary: 機械学習 gives
// 機械, 械学, 学習. A one-character run is kept whole.
//
// Terms are passed to emit as bytes that are only valid during the call, so
// callers that intern terms allocate only for new ones.
type tokenizer struct {
	word []byte
	cjk  []rune
	pair []byte
}

func (t *tokenizer) each(text string, emit func([]byte)) {
	t.word, t.cjk = t.word[:0], t.cjk[:0]
	for _, r := range text {
		r = fold(r)
		switch {
		case isCJK(r):
			t.flushWord(emit)
			t.cjk = append(t.cjk, r)
		case isWord(r):
			t.flushCJK(emit)
			t.word = utf8.AppendRune(t.word, r)
		case (r == '+' || r == '#') && len(t.word) > 0:
			// c++, c#, f#: the symbol is part of the name.
			t.word = append(t.word, byte(r))
		default:
			t.flushWord(emit)
			t.flushCJK(emit)
		}
	}
	t.flushWord(emit)
	t.flushCJK(emit)
}

func (t *tokenizer) flushWord(emit func([]byte)) {
	w := t.word
	t.word = t.word[:0]
	if len(w) == 0 || (len(w) == 1 && w[0] < utf8.RuneSelf) || allDigits(w) || stopwords[string(w)] {
		return
	}
	emit(w)
}

func allDigits(w []byte) bool {
	for _, b := range w {
		if b < '0' || b > '9' {
			return false
		}
	}
	return true
}

func (t *tokenizer) flushCJK(emit func([]byte)) {
	rs := t.cjk
	t.cjk = t.cjk[:0]
	if len(rs) == 1 {
		t.pair = utf8.AppendRune(t.pair[:0], rs[0])
		emit(t.pair)
		return
	}
	for i := 0; i+1 < len(rs); i++ {
		t.pair = utf8.AppendRune(t.pair[:0], rs[i])
		t.pair = utf8.AppendRune(t.pair, rs[i+1])
		emit(t.pair)
	}
}

// Tokens returns the index terms of text in order, with repeats.
func Tokens(text string) []string {
	var t tokenizer
	var out []string
	t.each(text, func(b []byte) { out = append(out, string(b)) })
	return out
}

// normalizeSkill gives the key two spellings of a skill share: folded,
// lowercased, with runs of spaces collapsed ("Machine  Learning" and
// "machine learning" are one skill).
func normalizeSkill(s string) string {
	s = strings.Map(fold, s)
	return strings.Join(strings.Fields(s), " ")
}
