package scoring

import "github.com/talentbridge/platform/shared/textnorm"

// tokenizer splits text into the terms of the topic model: shared/textnorm's
// words and CJK bigrams, without one-letter Latin words and bare numbers,
// which say nothing about a topic.
type tokenizer = textnorm.Tokenizer

// Tokens returns the index terms of text in order, with repeats.
func Tokens(text string) []string {
	var t tokenizer
	return t.Tokens(text)
}
