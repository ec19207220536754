package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are English words too common to say anything about a program;
// they are dropped from documents and queries alike.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be by for from has have in into is it its
		of on or our that the their this to we will with you your`) {
		stopwords[w] = true
	}
}

// fold maps full-width ASCII (Ｐｙｔｈｏｎ), common in Japanese text, to
// ASCII and lower-cases.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// isCJK reports whether r is written without spaces between words: Han,
// Hiragana and Katakana, with the long-vowel and iteration marks.
func isCJK(r rune) bool {
	return r == 'ー' || r == '々' || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// Tokens splits text into search terms, in order and with repeats.
//
// Space-separated text (English, and Hindi or other scripts) gives
// lower-cased words; English stopwords are dropped, and a trailing plural
// "s" is cut ("sciences" and "science" meet). A dot between digits stays in
// the word, so field codes such as "1.2" are one term. Japanese and Chinese
// runs give overlapping character bigrams (機械学習 → 機械 械学 学習), the
// usual way to index such text without a dictionary; a run of one character
// gives that character.
func Tokens(s string) []string {
	var out []string
	eachToken(s, func(t string) { out = append(out, t) })
	return out
}

func eachToken(s string, emit func(string)) {
	var word []byte
	var run []rune
	flushWord := func() {
		if len(word) > 0 {
			if w := normalizeWord(string(word)); w != "" {
				emit(w)
			}
			word = word[:0]
		}
	}
	flushRun := func() {
		switch len(run) {
		case 0:
		case 1:
			emit(string(run))
		default:
			for i := 0; i+1 < len(run); i++ {
				emit(string(run[i : i+2]))
			}
		}
		run = run[:0]
	}
	var prev rune
	for i, r := range s {
		r = fold(r)
		switch {
		case isCJK(r):
			flushWord()
			run = append(run, r)
		case isWord(r):
			flushRun()
			word = utf8.AppendRune(word, r)
		case r == '.' && unicode.IsDigit(prev) && nextIsDigit(s[i+1:]) && len(word) > 0:
			word = append(word, '.')
		case (r == '+' || r == '#') && len(word) > 0:
			// c++, c#: the symbol is part of the name.
			word = append(word, byte(r))
		default:
			flushWord()
			flushRun()
		}
		prev = r
	}
	flushWord()
	flushRun()
}

func nextIsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// normalizeWord drops stopwords and cuts a plural "s" off Latin words.
func normalizeWord(w string) string {
	if stopwords[w] {
		return ""
	}
	n := len(w)
	if n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] >= 'a' && w[n-2] <= 'z' {
		return w[:n-1]
	}
	return w
}
