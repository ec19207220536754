package search

import "github.com/talentbridge/platform/shared/textnorm"

// newTokenizer returns the tokenizer of program search: besides words and
// CJK bigrams it keeps one-letter words, numbers and field codes such as
// "1.2", and cuts a plural "s" so "sciences" finds "science".
func newTokenizer() *textnorm.Tokenizer {
	return &textnorm.Tokenizer{Codes: true, Plurals: true}
}

// Tokens splits text into search terms, in order and with repeats.
func Tokens(s string) []string {
	return newTokenizer().Tokens(s)
}
