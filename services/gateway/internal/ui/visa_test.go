package ui

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// sampleVisa is an answer of GET /placements/{id}/visa for a paid
// fellowship in Japan, built from the real rule texts — with every need,
// reason and type of the rules besides, so that none goes untranslated.
func sampleVisa() *apiplacements.VisaResponse {
	r, h := placementrules.Visa(), placementrules.HSP()
	note := func(m map[string]taxonomy.Labels, code string) apiplacements.VisaNote {
		return apiplacements.VisaNote{Code: code, Text: m[code]}
	}
	why := note(r.Reasons, "hsp_option")
	item := func(code string, points int, en, ja, hi string) apiplacements.HSPItem {
		return apiplacements.HSPItem{Item: code, Points: points, Reason: en, Text: taxonomy.Labels{En: en, Ja: ja, Hi: hi}}
	}
	v := apiplacements.Visa{Type: "jp.professor", Title: r.Types["jp.professor"].Title, RuleSet: r.Version,
		Needs:   []apiplacements.VisaNote{note(r.Needs, "coe"), note(r.Needs, "residence_card")},
		Reasons: []apiplacements.VisaNote{note(r.Reasons, "research_jp")},
		Alternatives: []apiplacements.VisaOption{{Type: "jp.researcher", Title: r.Types["jp.researcher"].Title},
			{Type: "jp.hsp_academic", Title: r.Types["jp.hsp_academic"].Title, Reason: &why}},
		Sources: []apiplacements.Source{apiplacements.Source(r.Sources["isa-status"])}}
	for code := range r.Needs {
		v.Needs = append(v.Needs, note(r.Needs, code))
	}
	for code := range r.Reasons {
		v.Reasons = append(v.Reasons, note(r.Reasons, code))
	}
	for code, ty := range r.Types {
		v.Alternatives = append(v.Alternatives, apiplacements.VisaOption{Type: code, Title: ty.Title})
	}
	return &apiplacements.VisaResponse{Visa: v,
		HSP: &apiplacements.HSPEstimate{Estimate: true, Category: "academic", Title: h.Categories["academic"].Title,
			Total: 45, Threshold: 70, RuleSet: h.Version, Source: apiplacements.Source(h.Source),
			Items: []apiplacements.HSPItem{
				item("academic_background", 30, "Doctoral degree (PhD)", "博士学位(博士課程)", "डॉक्टरेट डिग्री (पीएचडी)"),
				item("japanese_language", 15, "Japanese: JLPT N1", "日本語: 日本語能力試験N1", "जापानी: JLPT N1"),
				item("other_bonuses", 0, "not assessed", "未評価", "आकलन नहीं"),
			}},
	}
}

func TestVisaPathwayPartial(t *testing.T) {
	u := testUI(t)
	for _, lang := range Languages {
		p := &Page{Lang: lang, cat: u.cat}
		var buf bytes.Buffer
		if err := u.tmpl["stats"].ExecuteTemplate(&buf, "visapath", map[string]any{"P": p, "V": sampleVisa()}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		want := map[string][]string{
			"en": {"Professor", "Certificate of Eligibility", "Doctoral degree", "Below the 70-point threshold", "Highly Skilled Professional"},
			"ja": {"教授", "在留資格認定証明書", "博士学位", "基準の70点に達していません", "高度専門職"},
			"hi": {"प्रोफ़ेसर", "पात्रता प्रमाणपत्र", "डॉक्टरेट", "70 अंकों की सीमा से कम", "उच्च कुशल पेशेवर"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: visa section lacks %q", lang, w)
			}
		}
		if strings.Contains(out, missingOpen) {
			t.Errorf("%s: missing message in %s", lang, out)
		}
		if lang != "en" {
			doc, err := html.Parse(strings.NewReader(`<html lang="` + lang + `"><body>` + out + `</body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range platformtest.EnglishWords(doc) {
				t.Errorf("untranslated English in the %s visa section: %q", lang, w)
			}
		}
	}
	// Without an answer, the section says so instead of failing the page.
	var buf bytes.Buffer
	if err := u.tmpl["stats"].ExecuteTemplate(&buf, "visapath", map[string]any{"P": &Page{Lang: "en", cat: u.cat}, "V": (*apiplacements.VisaResponse)(nil)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "cannot be shown") {
		t.Errorf("no-answer visa section = %s", buf.String())
	}
}
