package textnorm

import (
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"half-width katakana with voiced marks", "ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ", "プログラミング"},
		{"half-width long vowel mark", "ﾃﾞｰﾀ", "データ"},
		{"full-width latin and digits", "Ｐｙｔｈｏｎ３", "python3"},
		{"case", "Machine LEARNING", "machine learning"},
		// A skill's spellings meet (moved from scoring's normalizeSkill).
		{"skill with doubled space", "Machine  Learning", "machine learning"},
		{"skill with padding", " ROS ", "ros"},
		{"full-width skill", "Ｐｙｔｈｏｎ", "python"},
		{"non-ASCII case", "ÉCOLE Über", "école über"},
		{"spaces collapsed, ideographic space too", "  Machine\u3000 Learning ", "machine learning"},
		{"ligature", "ﬁeld", "field"},
		{"devanagari unchanged", "कृत्रिम बुद्धिमत्ता", "कृत्रिम बुद्धिमत्ता"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Fold(tc.in); got != tc.want {
				t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	topic := Tokenizer{}
	lookup := Tokenizer{Codes: true, Plurals: true}
	tests := []struct {
		name string
		tok  *Tokenizer
		in   string
		want []string
	}{
		{"stop words dropped", &topic, "I am interested in Machine Learning and NLP.", []string{"interested", "machine", "learning", "nlp"}},
		{"stop words dropped in lookups too", &lookup, "what is the theory of everything", []string{"theory", "everything"}},
		{"symbols in language names", &topic, "C++ and C# developer", []string{"c++", "c#", "developer"}},
		{"single letters and numbers dropped", &topic, "a B 2027 3D real-time field 1.2", []string{"3d", "real", "time", "field"}},
		{"single letters, numbers and codes kept", &lookup, "C 2027 field 1.2 and 2.10.", []string{"c", "2027", "field", "1.2", "2.10"}},
		{"plurals cut", &lookup, "Robots sciences class analysis", []string{"robot", "science", "class", "analysi"}},
		{"plurals kept without the option", &topic, "Robots sciences", []string{"robots", "sciences"}},
		{"full-width latin folded", &topic, "Ｐｙｔｈｏｎ３ ＡＩ", []string{"python3", "ai"}},
		{"case folded", &topic, "ROBOTICS Robotics robotics", []string{"robotics", "robotics", "robotics"}},
		{"japanese bigrams", &topic, "機械学習の研究", []string{"機械", "械学", "学習", "習の", "の研", "研究"}},
		{"katakana with long vowel", &topic, "データ", []string{"デー", "ータ"}},
		{"half-width katakana meets full-width", &lookup, "ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ", []string{"プロ", "ログ", "グラ", "ラミ", "ミン", "ング"}},
		{"half-width long vowel mark", &topic, "ﾃﾞｰﾀ", []string{"デー", "ータ"}},
		{"latin ends a CJK run", &topic, "AIとロボット", []string{"ai", "とロ", "ロボ", "ボッ", "ット"}},
		{"single kanji kept", &lookup, "東 京", []string{"東", "京"}},
		{"devanagari keeps vowel signs", &topic, "कृत्रिम बुद्धिमत्ता", []string{"कृत्रिम", "बुद्धिमत्ता"}},
		{"empty", &lookup, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tok.Tokens(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHalfWidthMatchesFullWidth(t *testing.T) {
	var tok Tokenizer
	half, full := tok.Tokens("ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ入門"), tok.Tokens("プログラミング入門")
	if !slices.Equal(half, full) {
		t.Errorf("Tokens(half-width) = %q, Tokens(full-width) = %q; want them equal", half, full)
	}
}
