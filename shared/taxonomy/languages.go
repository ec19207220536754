package taxonomy

import "fmt"

// Language is a language an applicant speaks and how well, as stored in a
// profile: {"code": "ja", "level": "N2"}.
type Language struct {
	Code  string `json:"code"`
	Level string `json:"level"`
}

// LanguageRequirement is a program's minimum level in one language:
// {"code": "en", "minLevel": "B2"}.
type LanguageRequirement struct {
	Code     string `json:"code"`
	MinLevel string `json:"minLevel"`
}

// Native is the top of every scale: a first language.
const Native = "native"

// LanguageInfo describes a supported language (ISO 639-1 code).
type LanguageInfo struct {
	Code   string `json:"code"`
	Labels Labels `json:"labels"`
}

// languages lists the supported ISO 639-1 codes: English and Japanese, the
// scheduled languages of India that have a two-letter code, and the foreign
// languages most often asked for by hosts. At most 32 entries, so a set of
// languages fits in a uint32.
var languages = []LanguageInfo{
	{"en", Labels{"English", "英語", "अंग्रेज़ी"}},
	{"ja", Labels{"Japanese", "日本語", "जापानी"}},
	{"hi", Labels{"Hindi", "ヒンディー語", "हिन्दी"}},
	{"bn", Labels{"Bengali", "ベンガル語", "बांग्ला"}},
	{"te", Labels{"Telugu", "テルグ語", "तेलुगु"}},
	{"mr", Labels{"Marathi", "マラーティー語", "मराठी"}},
	{"ta", Labels{"Tamil", "タミル語", "तमिल"}},
	{"ur", Labels{"Urdu", "ウルドゥー語", "उर्दू"}},
	{"gu", Labels{"Gujarati", "グジャラート語", "गुजराती"}},
	{"kn", Labels{"Kannada", "カンナダ語", "कन्नड़"}},
	{"ml", Labels{"Malayalam", "マラヤーラム語", "मलयालम"}},
	{"or", Labels{"Odia", "オディア語", "ओड़िया"}},
	{"pa", Labels{"Punjabi", "パンジャーブ語", "पंजाबी"}},
	{"as", Labels{"Assamese", "アッサム語", "असमिया"}},
	{"sa", Labels{"Sanskrit", "サンスクリット語", "संस्कृत"}},
	{"ne", Labels{"Nepali", "ネパール語", "नेपाली"}},
	{"sd", Labels{"Sindhi", "シンド語", "सिंधी"}},
	{"ks", Labels{"Kashmiri", "カシミール語", "कश्मीरी"}},
	{"zh", Labels{"Chinese", "中国語", "चीनी"}},
	{"ko", Labels{"Korean", "韓国語", "कोरियाई"}},
	{"fr", Labels{"French", "フランス語", "फ़्रांसीसी"}},
	{"de", Labels{"German", "ドイツ語", "जर्मन"}},
	{"es", Labels{"Spanish", "スペイン語", "स्पेनिश"}},
}

var languageIndex = map[string]int{}

func init() {
	for i, l := range languages {
		languageIndex[l.Code] = i
	}
}

// Languages returns the supported languages in a fixed order (English,
// Japanese, Hindi first).
func Languages() []LanguageInfo { return append([]LanguageInfo(nil), languages...) }

// LanguageByCode returns the supported language with the ISO 639-1 code.
func LanguageByCode(code string) (LanguageInfo, bool) {
	i, ok := languageIndex[code]
	if !ok {
		return LanguageInfo{}, false
	}
	return languages[i], true
}

// IsLanguage reports whether code is a supported ISO 639-1 code.
func IsLanguage(code string) bool {
	_, ok := languageIndex[code]
	return ok
}

// Level is one step of a proficiency scale.
type Level struct {
	Code   string `json:"code"`
	Labels Labels `json:"labels"`
}

// Scale is an ordered proficiency scale, weakest first; Native is always the
// last step.
type Scale struct {
	Name   string
	levels []Level
}

// Levels returns the steps weakest first.
func (s *Scale) Levels() []Level { return append([]Level(nil), s.levels...) }

// Rank returns the position of level on the scale (0 = weakest).
func (s *Scale) Rank(level string) (int, bool) {
	for i, l := range s.levels {
		if l.Code == level {
			return i, true
		}
	}
	return -1, false
}

// Top returns the rank of the strongest step (Native).
func (s *Scale) Top() int { return len(s.levels) - 1 }

// Codes returns the level codes weakest first.
func (s *Scale) Codes() []string {
	out := make([]string, len(s.levels))
	for i, l := range s.levels {
		out[i] = l.Code
	}
	return out
}

var nativeLevel = Level{Native, Labels{"Native", "ネイティブ（母語）", "मातृभाषा"}}

// JLPT is the Japanese-Language Proficiency Test scale, N5 (basic) to N1,
// then native.
var JLPT = &Scale{Name: "JLPT", levels: []Level{
	{"N5", Labels{"JLPT N5", "日本語能力試験 N5", "जेएलपीटी N5"}},
	{"N4", Labels{"JLPT N4", "日本語能力試験 N4", "जेएलपीटी N4"}},
	{"N3", Labels{"JLPT N3", "日本語能力試験 N3", "जेएलपीटी N3"}},
	{"N2", Labels{"JLPT N2", "日本語能力試験 N2", "जेएलपीटी N2"}},
	{"N1", Labels{"JLPT N1", "日本語能力試験 N1", "जेएलपीटी N1"}},
	nativeLevel,
}}

// CEFR is the Common European Framework of Reference scale, A1 to C2, then
// native. It is used for every language except Japanese.
var CEFR = &Scale{Name: "CEFR", levels: []Level{
	{"A1", Labels{"A1 Beginner", "A1 入門", "A1 आरंभिक"}},
	{"A2", Labels{"A2 Elementary", "A2 初級", "A2 प्रारंभिक"}},
	{"B1", Labels{"B1 Intermediate", "B1 中級", "B1 मध्यम"}},
	{"B2", Labels{"B2 Upper intermediate", "B2 中上級", "B2 उच्च मध्यम"}},
	{"C1", Labels{"C1 Advanced", "C1 上級", "C1 उन्नत"}},
	{"C2", Labels{"C2 Proficient", "C2 熟達", "C2 प्रवीण"}},
	nativeLevel,
}}

// ScaleFor returns the scale levels of a language are given on: JLPT for
// Japanese, CEFR for every other supported language.
func ScaleFor(code string) (*Scale, bool) {
	if !IsLanguage(code) {
		return nil, false
	}
	if code == "ja" {
		return JLPT, true
	}
	return CEFR, true
}

// ValidLevel reports whether level is a step of the scale used for the
// language code ("N2" for ja, "B2" for en, "native" for any).
func ValidLevel(code, level string) bool {
	_, ok := LevelRank(code, level)
	return ok
}

// LevelRank returns the position of level on the language's scale
// (0 = weakest). It reports false for an unsupported language or a level
// from the wrong scale.
func LevelRank(code, level string) (int, bool) {
	s, ok := ScaleFor(code)
	if !ok {
		return -1, false
	}
	return s.Rank(level)
}

// CompareLevels compares two levels of the same language: -1 if a is weaker
// than b, 0 if equal, +1 if stronger.
func CompareLevels(code, a, b string) (int, error) {
	m, err := LevelMargin(code, a, b)
	switch {
	case err != nil:
		return 0, err
	case m < 0:
		return -1, nil
	case m > 0:
		return 1, nil
	}
	return 0, nil
}

// LevelMargin returns how many steps level is above min on the language's
// scale: 0 when it just meets it, negative when it falls short. JLPT N2
// against a minimum of N3 is 1.
func LevelMargin(code, level, min string) (int, error) {
	s, ok := ScaleFor(code)
	if !ok {
		return 0, fmt.Errorf("unsupported language %q", code)
	}
	r, ok := s.Rank(level)
	if !ok {
		return 0, fmt.Errorf("level %q is not on the %s scale used for %s", level, s.Name, code)
	}
	m, ok := s.Rank(min)
	if !ok {
		return 0, fmt.Errorf("level %q is not on the %s scale used for %s", min, s.Name, code)
	}
	return r - m, nil
}

// LevelLabels returns the labels of a level of a language.
func LevelLabels(code, level string) (Labels, bool) {
	s, ok := ScaleFor(code)
	if !ok {
		return Labels{}, false
	}
	r, ok := s.Rank(level)
	if !ok {
		return Labels{}, false
	}
	return s.levels[r].Labels, true
}
