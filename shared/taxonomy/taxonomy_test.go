package taxonomy

import (
	"fmt"
	"slices"
	"testing"
	"time"
	"unicode"
)

// allLabels gathers every label carrier in the package, keyed by a name that
// says where it lives, so one test can hold them all to the same standard.
func allLabels() map[string]Labels {
	out := map[string]Labels{}
	for _, f := range Fields() {
		out["field "+f.Code] = f.Labels
	}
	for _, c := range Countries() {
		out["country "+c.Code] = c.Labels
		for _, r := range Regions(c.Code) {
			out["region "+c.Code+"/"+r.Name] = r.Labels
		}
	}
	for _, e := range []*Enum{ApplicantKinds, ProgramKinds, DegreeLevels, Categories} {
		for _, t := range e.Terms() {
			out[e.Name()+" "+t.Code] = t.Labels
		}
	}
	for _, l := range Languages() {
		out["language "+l.Code] = l.Labels
	}
	for _, s := range []*Scale{JLPT, CEFR} {
		for _, l := range s.Levels() {
			out[s.Name+" level "+l.Code] = l.Labels
		}
	}
	return out
}

func hasRune(s string, tables ...*unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.In(r, tables...) {
			return true
		}
	}
	return false
}

func TestLabelsComplete(t *testing.T) {
	labels := allLabels()
	if len(labels) < 150 {
		t.Fatalf("allLabels() found %d entries; the collector is missing tables", len(labels))
	}
	for name, l := range labels {
		if l.En == "" || l.Ja == "" || l.Hi == "" {
			t.Errorf("%s: labels %+v, want en, ja and hi all set", name, l)
			continue
		}
		// A label copied from English by mistake is as bad as a missing one.
		if !hasRune(l.Ja, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			t.Errorf("%s: ja label %q has no Japanese script", name, l.Ja)
		}
		if !hasRune(l.Hi, unicode.Devanagari) {
			t.Errorf("%s: hi label %q has no Devanagari", name, l.Hi)
		}
	}
}

func TestLabelsIn(t *testing.T) {
	l := Labels{En: "Japan", Ja: "日本", Hi: "जापान"}
	tests := []struct{ lang, want string }{
		{"en", "Japan"}, {"ja", "日本"}, {"hi", "जापान"}, {"fr", "Japan"}, {"", "Japan"},
	}
	for _, tc := range tests {
		if got := l.In(tc.lang); got != tc.want {
			t.Errorf("Labels.In(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestFieldsShape(t *testing.T) {
	subfields := map[string]int{}
	majors := 0
	for _, f := range Fields() {
		if f.IsMajor() {
			majors++
			continue
		}
		if _, ok := Field(f.Parent); !ok {
			t.Errorf("field %s has parent %q, which is not a field", f.Code, f.Parent)
		}
		subfields[f.Parent]++
	}
	want := map[string]int{"1": 7, "2": 11, "3": 5, "4": 5, "5": 9, "6": 5}
	if majors != 6 {
		t.Errorf("major fields = %d, want 6", majors)
	}
	for major, n := range want {
		if subfields[major] != n {
			t.Errorf("subfields of %s = %d, want %d", major, subfields[major], n)
		}
	}
}

func TestField(t *testing.T) {
	tests := []struct {
		code      string
		ok        bool
		en, major string
	}{
		{"1.2", true, "Computer and information sciences", "1"},
		{"2.2", true, "Electrical engineering, electronic engineering, information engineering", "2"},
		{"2.10", true, "Nano-technology", "2"},
		{"6", true, "Humanities", "6"},
		{"1.8", false, "", ""},
		{"7", false, "", ""},
		{"", false, "", ""},
		{"1.2 ", false, "", ""},
	}
	for _, tc := range tests {
		f, ok := Field(tc.code)
		if ok != tc.ok || f.Labels.En != tc.en || (ok && f.Major() != tc.major) {
			t.Errorf("Field(%q) = %+v, %v; want en %q major %q, %v", tc.code, f, ok, tc.en, tc.major, tc.ok)
		}
		if IsField(tc.code) != tc.ok {
			t.Errorf("IsField(%q) = %v, want %v", tc.code, !tc.ok, tc.ok)
		}
	}
}

func TestParentField(t *testing.T) {
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"1.2", "1", true},
		{"5.8", "5", true},
		{"3", "", false}, // major fields have no parent
		{"9.9", "", false},
	}
	for _, tc := range tests {
		got, ok := ParentField(tc.code)
		if ok != tc.ok || got.Code != tc.want {
			t.Errorf("ParentField(%q) = %q, %v; want %q, %v", tc.code, got.Code, ok, tc.want, tc.ok)
		}
	}
}

func TestRegionCounts(t *testing.T) {
	count := func(country, kind string) int {
		n := 0
		for _, r := range Regions(country) {
			if r.Kind == kind {
				n++
			}
		}
		return n
	}
	tests := []struct {
		country, kind string
		want          int
	}{
		{India, RegionState, 28},
		{India, RegionUnionTerritory, 8},
		{Japan, RegionPrefecture, 47},
	}
	for _, tc := range tests {
		if got := count(tc.country, tc.kind); got != tc.want {
			t.Errorf("Regions(%s) of kind %s = %d, want %d", tc.country, tc.kind, got, tc.want)
		}
	}
	if got := Regions("US"); got != nil {
		t.Errorf("Regions(US) = %v, want nil", got)
	}
}

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		country, name string
		want          string // canonical name; "" when not found
		code          string
	}{
		{India, "Tamil Nadu", "Tamil Nadu", ""},
		{India, "  tamil   NADU ", "Tamil Nadu", ""},
		{India, "Orissa", "Odisha", ""},
		{India, "Pondicherry", "Puducherry", ""},
		{India, "दिल्ली", "Delhi", ""},
		{India, "Tokyo", "", ""}, // a prefecture is not an Indian region
		{India, "Bombay", "", ""},
		{Japan, "Tokyo", "Tokyo", "13"},
		{Japan, "東京都", "Tokyo", "13"},
		{Japan, "Hyōgo", "Hyogo", "28"},
		{Japan, "hokkaido", "Hokkaido", "01"},
		{Japan, "Okinawa", "Okinawa", "47"},
		{Japan, "Kerala", "", ""},
		{"US", "Texas", "", ""},
		{Japan, "", "", ""},
	}
	for _, tc := range tests {
		r, ok := LookupRegion(tc.country, tc.name)
		if r.Name != tc.want || ok != (tc.want != "") || r.Code != tc.code {
			t.Errorf("LookupRegion(%s, %q) = %q (code %q), %v; want %q (code %q)", tc.country, tc.name, r.Name, r.Code, ok, tc.want, tc.code)
		}
		if got := IsRegion(tc.country, tc.name); got != (tc.want != "") {
			t.Errorf("IsRegion(%s, %q) = %v, want %v", tc.country, tc.name, got, tc.want != "")
		}
	}
}

func TestRegionsAreCopies(t *testing.T) {
	Regions(Japan)[0].Name = "changed"
	if r := Regions(Japan)[0]; r.Name != "Hokkaido" {
		t.Errorf("Regions(JP)[0].Name = %q after a caller changed its copy, want Hokkaido", r.Name)
	}
}

func TestCountries(t *testing.T) {
	at := time.Date(2027, 3, 31, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		code    string
		ok      bool
		local   string // `at` on the country's wall clock
		english string
	}{
		{India, true, "2027-03-31 20:30", "India"},
		{Japan, true, "2027-04-01 00:00", "Japan"},
		{"CN", false, "", ""},
	}
	for _, tc := range tests {
		c, ok := CountryByCode(tc.code)
		if ok != tc.ok || c.Labels.En != tc.english {
			t.Errorf("CountryByCode(%q) = %+v, %v; want %q, %v", tc.code, c, ok, tc.english, tc.ok)
			continue
		}
		if IsCountry(tc.code) != tc.ok {
			t.Errorf("IsCountry(%q) = %v, want %v", tc.code, !tc.ok, tc.ok)
		}
		if ok {
			if got := at.In(c.Location()).Format("2006-01-02 15:04"); got != tc.local {
				t.Errorf("%s local time of %v = %s, want %s", tc.code, at, got, tc.local)
			}
		}
	}
}

func TestEnums(t *testing.T) {
	tests := []struct {
		enum  *Enum
		code  string
		index int
	}{
		{ApplicantKinds, "student", 0},
		{ApplicantKinds, "company", 2},
		{ApplicantKinds, "Student", -1},
		{ApplicantKinds, "host", -1},
		{ProgramKinds, "joint_research", 2},
		{ProgramKinds, "industry_partnership", 5},
		{ProgramKinds, "joint research", -1},
		{DegreeLevels, "phd", 2},
		{DegreeLevels, "professional", 5},
		{DegreeLevels, "PhD", -1},
		{DegreeLevels, "", -1},
		{Categories, "women", 0},
		{Categories, "rural", 5},
		{Categories, "Women", -1},
		{Categories, "caste", -1},
	}
	for _, tc := range tests {
		if got := tc.enum.Index(tc.code); got != tc.index {
			t.Errorf("%s Index(%q) = %d, want %d", tc.enum.Name(), tc.code, got, tc.index)
		}
		if got := tc.enum.Valid(tc.code); got != (tc.index >= 0) {
			t.Errorf("%s Valid(%q) = %v, want %v", tc.enum.Name(), tc.code, got, tc.index >= 0)
		}
	}
	sizes := []struct {
		enum *Enum
		want string
	}{
		{ApplicantKinds, "student|researcher|company"},
		{ProgramKinds, "exchange|internship|joint_research|fellowship|scholarship|industry_partnership"},
		{DegreeLevels, "bachelor|master|phd|postdoc|faculty|professional"},
		{Categories, "women|first_generation|tier2_institution|northeast_india|disability|rural"},
	}
	for _, tc := range sizes {
		if got := tc.enum.String(); got != tc.want {
			t.Errorf("%s String() = %q, want %q", tc.enum.Name(), got, tc.want)
		}
	}
}

func TestLanguages(t *testing.T) {
	if n := len(Languages()); n > 32 {
		t.Errorf("len(Languages()) = %d, want at most 32 (callers keep language sets in a uint32)", n)
	}
	for _, code := range []string{"en", "ja", "hi", "bn", "te", "mr", "ta", "ur", "gu", "kn", "ml", "or", "pa"} {
		if !IsLanguage(code) {
			t.Errorf("IsLanguage(%q) = false, want true", code)
		}
	}
	for _, code := range []string{"EN", "jp", "eng", ""} {
		if IsLanguage(code) {
			t.Errorf("IsLanguage(%q) = true, want false", code)
		}
	}
}

func TestScales(t *testing.T) {
	if got, want := JLPT.Codes(), []string{"N5", "N4", "N3", "N2", "N1", Native}; !slices.Equal(got, want) {
		t.Errorf("JLPT.Codes() = %v, want %v", got, want)
	}
	if got, want := CEFR.Codes(), []string{"A1", "A2", "B1", "B2", "C1", "C2", Native}; !slices.Equal(got, want) {
		t.Errorf("CEFR.Codes() = %v, want %v", got, want)
	}
}

func TestLevelRank(t *testing.T) {
	tests := []struct {
		code, level string
		want        int
		ok          bool
	}{
		{"ja", "N5", 0, true},
		{"ja", "N1", 4, true},
		{"ja", "native", 5, true},
		{"ja", "B2", -1, false}, // Japanese is on the JLPT scale
		{"en", "B2", 3, true},
		{"en", "native", 6, true},
		{"en", "N2", -1, false},
		{"hi", "C2", 5, true},
		{"en", "b2", -1, false},
		{"xx", "B2", -1, false},
	}
	for _, tc := range tests {
		got, ok := LevelRank(tc.code, tc.level)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LevelRank(%q, %q) = %d, %v; want %d, %v", tc.code, tc.level, got, ok, tc.want, tc.ok)
		}
		if ValidLevel(tc.code, tc.level) != tc.ok {
			t.Errorf("ValidLevel(%q, %q) = %v, want %v", tc.code, tc.level, !tc.ok, tc.ok)
		}
	}
}

func TestLevelMarginAndCompare(t *testing.T) {
	tests := []struct {
		code, level, min string
		margin, cmp      int
		wantErr          bool
	}{
		{"ja", "N2", "N3", 1, 1, false},
		{"ja", "N3", "N3", 0, 0, false},
		{"ja", "N5", "N3", -2, -1, false},
		{"ja", "native", "N1", 1, 1, false},
		{"en", "C1", "B2", 1, 1, false},
		{"en", "A1", "C2", -5, -1, false},
		{"en", "native", "A1", 6, 1, false},
		{"en", "N2", "B2", 0, 0, true},
		{"ja", "N2", "B2", 0, 0, true},
		{"xx", "B2", "B2", 0, 0, true},
	}
	for _, tc := range tests {
		m, err := LevelMargin(tc.code, tc.level, tc.min)
		if m != tc.margin || (err != nil) != tc.wantErr {
			t.Errorf("LevelMargin(%q, %q, %q) = %d, %v; want %d, error %v", tc.code, tc.level, tc.min, m, err, tc.margin, tc.wantErr)
		}
		c, err := CompareLevels(tc.code, tc.level, tc.min)
		if c != tc.cmp || (err != nil) != tc.wantErr {
			t.Errorf("CompareLevels(%q, %q, %q) = %d, %v; want %d, error %v", tc.code, tc.level, tc.min, c, err, tc.cmp, tc.wantErr)
		}
	}
}

func TestLevelLabels(t *testing.T) {
	tests := []struct {
		code, level, want string
		ok                bool
	}{
		{"ja", "N2", "日本語能力試験 N2", true},
		{"en", "B2", "B2 中上級", true},
		{"hi", "native", "ネイティブ（母語）", true},
		{"en", "N2", "", false},
	}
	for _, tc := range tests {
		l, ok := LevelLabels(tc.code, tc.level)
		if l.Ja != tc.want || ok != tc.ok {
			t.Errorf("LevelLabels(%q, %q).Ja = %q, %v; want %q, %v", tc.code, tc.level, l.Ja, ok, tc.want, tc.ok)
		}
	}
}

func Example() {
	f, _ := Field("2.2")
	parent, _ := ParentField("2.2")
	fmt.Println(f.Labels.Ja, "/", parent.Labels.En)
	m, _ := LevelMargin("ja", "N2", "N3")
	fmt.Println("JLPT N2 is", m, "step above N3")
	fmt.Println(IsRegion(Japan, "Miyagi"), IsRegion(India, "Miyagi"))
	// Output:
	// 電気工学・電子工学・情報工学 / Engineering and technology
	// JLPT N2 is 1 step above N3
	// true false
}
