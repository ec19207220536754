package scoring

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"english with stopwords", "I am interested in Machine Learning and NLP.", []string{"interested", "machine", "learning", "nlp"}},
		{"symbols in language names", "C++ and C# developer, 5 years", []string{"c++", "c#", "developer", "years"}},
		{"single letters and numbers dropped", "a B 2027 3D real-time", []string{"3d", "real", "time"}},
		{"full-width ASCII folded", "Ｐｙｔｈｏｎ３ ＡＩ", []string{"python3", "ai"}},
		{"japanese bigrams", "機械学習の研究", []string{"機械", "械学", "学習", "習の", "の研", "研究"}},
		{"katakana with long vowel", "データ", []string{"デー", "ータ"}},
		{"latin ends a CJK run", "AIとロボット", []string{"ai", "とロ", "ロボ", "ボッ", "ット"}},
		{"single kanji kept", "東 京", []string{"東", "京"}},
		{"devanagari keeps vowel signs", "कृत्रिम बुद्धिमत्ता", []string{"कृत्रिम", "बुद्धिमत्ता"}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokens(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}
