package taxonomy

import "strings"

// FieldOfScience is one entry of the OECD Fields of Research and Development
// classification (FORD, Frascati Manual 2007 revision): a major field such as
// "2" (Engineering and technology) or one of its subfields such as "2.2".
type FieldOfScience struct {
	Code string `json:"code"`
	// Parent is the code of the major field a subfield belongs to; it is
	// empty for the six major fields themselves.
	Parent string `json:"parent,omitempty"`
	Labels Labels `json:"labels"`
}

// IsMajor reports whether f is one of the six major fields.
func (f FieldOfScience) IsMajor() bool { return f.Parent == "" }

// Major returns the code of the major field f belongs to (f's own code for a
// major field).
func (f FieldOfScience) Major() string {
	if f.Parent == "" {
		return f.Code
	}
	return f.Parent
}

// fields lists the classification in its official order: each major field
// followed by its subfields. The Parent of a subfield is filled in by init.
var fields = []FieldOfScience{
	{Code: "1", Labels: Labels{"Natural sciences", "自然科学", "प्राकृतिक विज्ञान"}},
	{Code: "1.1", Labels: Labels{"Mathematics", "数学", "गणित"}},
	{Code: "1.2", Labels: Labels{"Computer and information sciences", "計算機科学・情報科学", "कंप्यूटर और सूचना विज्ञान"}},
	{Code: "1.3", Labels: Labels{"Physical sciences", "物理科学", "भौतिक विज्ञान"}},
	{Code: "1.4", Labels: Labels{"Chemical sciences", "化学", "रसायन विज्ञान"}},
	{Code: "1.5", Labels: Labels{"Earth and related environmental sciences", "地球科学・関連環境科学", "पृथ्वी एवं संबंधित पर्यावरण विज्ञान"}},
	{Code: "1.6", Labels: Labels{"Biological sciences", "生物科学", "जैविक विज्ञान"}},
	{Code: "1.7", Labels: Labels{"Other natural sciences", "その他の自然科学", "अन्य प्राकृतिक विज्ञान"}},

	{Code: "2", Labels: Labels{"Engineering and technology", "工学・技術", "अभियांत्रिकी एवं प्रौद्योगिकी"}},
	{Code: "2.1", Labels: Labels{"Civil engineering", "土木工学", "सिविल अभियांत्रिकी"}},
	{Code: "2.2", Labels: Labels{"Electrical engineering, electronic engineering, information engineering", "電気工学・電子工学・情報工学", "विद्युत अभियांत्रिकी, इलेक्ट्रॉनिक अभियांत्रिकी, सूचना अभियांत्रिकी"}},
	{Code: "2.3", Labels: Labels{"Mechanical engineering", "機械工学", "यांत्रिक अभियांत्रिकी"}},
	{Code: "2.4", Labels: Labels{"Chemical engineering", "化学工学", "रासायनिक अभियांत्रिकी"}},
	{Code: "2.5", Labels: Labels{"Materials engineering", "材料工学", "पदार्थ अभियांत्रिकी"}},
	{Code: "2.6", Labels: Labels{"Medical engineering", "医用工学", "चिकित्सा अभियांत्रिकी"}},
	{Code: "2.7", Labels: Labels{"Environmental engineering", "環境工学", "पर्यावरण अभियांत्रिकी"}},
	{Code: "2.8", Labels: Labels{"Environmental biotechnology", "環境バイオテクノロジー", "पर्यावरण जैव-प्रौद्योगिकी"}},
	{Code: "2.9", Labels: Labels{"Industrial biotechnology", "産業バイオテクノロジー", "औद्योगिक जैव-प्रौद्योगिकी"}},
	{Code: "2.10", Labels: Labels{"Nano-technology", "ナノテクノロジー", "नैनो-प्रौद्योगिकी"}},
	{Code: "2.11", Labels: Labels{"Other engineering and technologies", "その他の工学・技術", "अन्य अभियांत्रिकी एवं प्रौद्योगिकियाँ"}},

	{Code: "3", Labels: Labels{"Medical and health sciences", "医学・保健学", "चिकित्सा एवं स्वास्थ्य विज्ञान"}},
	{Code: "3.1", Labels: Labels{"Basic medicine", "基礎医学", "आधारभूत चिकित्सा विज्ञान"}},
	{Code: "3.2", Labels: Labels{"Clinical medicine", "臨床医学", "नैदानिक चिकित्सा"}},
	{Code: "3.3", Labels: Labels{"Health sciences", "健康科学", "स्वास्थ्य विज्ञान"}},
	{Code: "3.4", Labels: Labels{"Medical biotechnology", "医療バイオテクノロジー", "चिकित्सा जैव-प्रौद्योगिकी"}},
	{Code: "3.5", Labels: Labels{"Other medical sciences", "その他の医学", "अन्य चिकित्सा विज्ञान"}},

	{Code: "4", Labels: Labels{"Agricultural sciences", "農学", "कृषि विज्ञान"}},
	{Code: "4.1", Labels: Labels{"Agriculture, forestry, and fisheries", "農学・林学・水産学", "कृषि, वानिकी एवं मत्स्य पालन"}},
	{Code: "4.2", Labels: Labels{"Animal and dairy science", "畜産学・酪農学", "पशु एवं डेयरी विज्ञान"}},
	{Code: "4.3", Labels: Labels{"Veterinary science", "獣医学", "पशु चिकित्सा विज्ञान"}},
	{Code: "4.4", Labels: Labels{"Agricultural biotechnology", "農業バイオテクノロジー", "कृषि जैव-प्रौद्योगिकी"}},
	{Code: "4.5", Labels: Labels{"Other agricultural sciences", "その他の農学", "अन्य कृषि विज्ञान"}},

	{Code: "5", Labels: Labels{"Social sciences", "社会科学", "सामाजिक विज्ञान"}},
	{Code: "5.1", Labels: Labels{"Psychology", "心理学", "मनोविज्ञान"}},
	{Code: "5.2", Labels: Labels{"Economics and business", "経済学・経営学", "अर्थशास्त्र एवं व्यवसाय"}},
	{Code: "5.3", Labels: Labels{"Educational sciences", "教育学", "शिक्षा विज्ञान"}},
	{Code: "5.4", Labels: Labels{"Sociology", "社会学", "समाजशास्त्र"}},
	{Code: "5.5", Labels: Labels{"Law", "法学", "विधि"}},
	{Code: "5.6", Labels: Labels{"Political science", "政治学", "राजनीति विज्ञान"}},
	{Code: "5.7", Labels: Labels{"Social and economic geography", "社会地理学・経済地理学", "सामाजिक एवं आर्थिक भूगोल"}},
	{Code: "5.8", Labels: Labels{"Media and communications", "メディア・コミュニケーション学", "मीडिया एवं संचार"}},
	{Code: "5.9", Labels: Labels{"Other social sciences", "その他の社会科学", "अन्य सामाजिक विज्ञान"}},

	{Code: "6", Labels: Labels{"Humanities", "人文学", "मानविकी"}},
	{Code: "6.1", Labels: Labels{"History and archaeology", "歴史学・考古学", "इतिहास एवं पुरातत्व"}},
	{Code: "6.2", Labels: Labels{"Languages and literature", "言語学・文学", "भाषा एवं साहित्य"}},
	{Code: "6.3", Labels: Labels{"Philosophy, ethics and religion", "哲学・倫理学・宗教学", "दर्शन, नीतिशास्त्र एवं धर्म"}},
	{Code: "6.4", Labels: Labels{"Arts (arts, history of arts, performing arts, music)", "芸術学（美術・美術史・舞台芸術・音楽）", "कला (कला, कला का इतिहास, प्रदर्शन कला, संगीत)"}},
	{Code: "6.5", Labels: Labels{"Other humanities", "その他の人文学", "अन्य मानविकी"}},
}

var fieldIndex = make(map[string]int, len(fields))

func init() {
	for i := range fields {
		if major, _, ok := strings.Cut(fields[i].Code, "."); ok {
			fields[i].Parent = major
		}
		fieldIndex[fields[i].Code] = i
	}
}

// Field returns the field with the given code ("1.2", "2").
func Field(code string) (FieldOfScience, bool) {
	i, ok := fieldIndex[code]
	if !ok {
		return FieldOfScience{}, false
	}
	return fields[i], true
}

// Fields returns every major field and subfield in classification order.
func Fields() []FieldOfScience {
	return append([]FieldOfScience(nil), fields...)
}

// IsField reports whether code is a known field code.
func IsField(code string) bool {
	_, ok := fieldIndex[code]
	return ok
}

// ParentField returns the major field a subfield belongs to. It reports false
// for unknown codes and for major fields, which have no parent.
func ParentField(code string) (FieldOfScience, bool) {
	f, ok := Field(code)
	if !ok || f.IsMajor() {
		return FieldOfScience{}, false
	}
	return Field(f.Parent)
}
