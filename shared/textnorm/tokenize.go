package textnorm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokenizer splits normalized text into index terms, in order and with
// repeats.
//
// Space-separated scripts (English, Hindi and the rest) give lower-cased
// words, English stop words dropped; combining marks stay in the word
// (Devanagari vowel signs are marks), and "+" or "#" after a word is part
// of it (c++, c#). Japanese and Chinese runs, which have no spaces between
// words, give overlapping character bigrams, the usual way to index such
// text without a dictionary: 機械学習 gives 機械, 械学, 学習. A run of one
// character gives that character.
//
// The zero value suits ranking by topic; the fields add what a catalogue
// lookup needs. A Tokenizer keeps scratch buffers between calls, so reuse
// one per goroutine and do not share it.
type Tokenizer struct {
	// Codes keeps the short terms people look things up by: one-letter
	// words, bare numbers, and dotted codes such as field "1.2" as one term
	// (a dot between digits stays in the word). Without it one-letter Latin
	// words and bare numbers are dropped and a dot always splits.
	Codes bool
	// Plurals cuts a trailing plural "s" off Latin words of four letters
	// or more, unless it follows another "s": "sciences" and "science"
	// meet, "class" stays.
	Plurals bool

	word []byte
	cjk  []rune
	pair []byte
}

// Each passes the terms of text to emit. A term is only valid during the
// call, so callers that intern terms allocate only for new ones.
func (t *Tokenizer) Each(text string, emit func(term []byte)) {
	text = norm.NFKC.String(text)
	t.word, t.cjk = t.word[:0], t.cjk[:0]
	var prev rune
	for i, r := range text {
		r = lower(r)
		switch {
		case isCJK(r):
			t.flushWord(emit)
			t.cjk = append(t.cjk, r)
		case isWord(r):
			t.flushCJK(emit)
			t.word = utf8.AppendRune(t.word, r)
		case r == '.' && t.Codes && len(t.word) > 0 && unicode.IsDigit(prev) && nextIsDigit(text[i+1:]):
			t.word = append(t.word, '.')
		case (r == '+' || r == '#') && len(t.word) > 0:
			t.word = append(t.word, byte(r))
		default:
			t.flushWord(emit)
			t.flushCJK(emit)
		}
		prev = r
	}
	t.flushWord(emit)
	t.flushCJK(emit)
}

// Tokens returns the terms of text as strings.
func (t *Tokenizer) Tokens(text string) []string {
	var out []string
	t.Each(text, func(b []byte) { out = append(out, string(b)) })
	return out
}

// isCJK reports whether r belongs to a run split into bigrams: Han,
// Hiragana and Katakana, with the long-vowel and iteration marks written
// inside Japanese words.
func isCJK(r rune) bool {
	return r >= 0x2E80 && (r == 'ー' || r == '々' ||
		unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana))
}

// isWord reports whether r continues a space-separated word: letters,
// digits and combining marks.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func nextIsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

func (t *Tokenizer) flushWord(emit func([]byte)) {
	w := t.word
	t.word = t.word[:0]
	if len(w) == 0 || english[string(w)] {
		return
	}
	if !t.Codes && (len(w) == 1 && w[0] < utf8.RuneSelf || allDigits(w)) {
		return
	}
	if n := len(w); t.Plurals && n > 3 && w[n-1] == 's' && w[n-2] != 's' && 'a' <= w[n-2] && w[n-2] <= 'z' {
		w = w[:n-1]
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

func (t *Tokenizer) flushCJK(emit func([]byte)) {
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
