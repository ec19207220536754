package placementrules

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEmbeddedRulesLoad(t *testing.T) {
	v, err := ParseVisa(visaJSON)
	if err != nil {
		t.Fatalf("visa.json: %v", err)
	}
	h, err := ParseHSP(hspJSON)
	if err != nil {
		t.Fatalf("hsp.json: %v", err)
	}
	// Figures the issue and the ISA table state; a typo in the data
	// fails here.
	if h.Threshold != 70 {
		t.Errorf("threshold = %d, want 70", h.Threshold)
	}
	if got := h.Categories[HSPAcademic].AcademicBackground[DegreeDoctorate]; got != 30 {
		t.Errorf("doctorate = %d, want 30", got)
	}
	if got := h.JapaneseLanguage["N1"]; got != 15 {
		t.Errorf("JLPT N1 = %d, want 15", got)
	}
	if got := h.AnnualSalary[0]; got.MinYen != 10_000_000 || got.Points != 40 {
		t.Errorf("best salary band = %+v, want 10,000,000 yen for 40", got)
	}
	if got := v.Types["jp.student"].Title.Ja; got != "留学" {
		t.Errorf("jp.student in Japanese = %q, want 留学", got)
	}
}

// mutate decodes the embedded file into generic JSON, lets f break it and
// encodes it again.
func mutate(t *testing.T, src []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(src, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func obj(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

func TestParseVisaRefusesBrokenRules(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(m map[string]any)
		want  string
	}{
		{"unknown field", func(m map[string]any) { m["extra"] = 1 }, "unknown field"},
		{"no version", func(m map[string]any) { m["version"] = "" }, "version"},
		{"missing Hindi title", func(m map[string]any) { obj(m, "types", "jp.student", "title")["hi"] = "" }, "jp.student title"},
		{"http source", func(m map[string]any) { obj(m, "sources", "mofa-visa")["url"] = "http://www.mofa.go.jp/" }, "https"},
		{"bad checked date", func(m map[string]any) { obj(m, "sources", "mofa-visa")["checked"] = "07/12/2026" }, "YYYY-MM-DD"},
		{"unknown need", func(m map[string]any) {
			r := m["rules"].([]any)[1].(map[string]any)
			r["needs"] = []any{"passport", "nonsense"}
		}, `need "nonsense"`},
		{"unknown kind", func(m map[string]any) {
			r := m["rules"].([]any)[1].(map[string]any)
			r["kinds"] = []any{"exchange", "sabbatical"}
		}, "sabbatical"},
		{"kind left without an answer", func(m map[string]any) {
			// Drop the study rule for Japan: exchanges there have none.
			rules := m["rules"].([]any)
			m["rules"] = append(rules[:1:1], rules[2:]...)
		}, "no unconditional rule for IN_JP exchange"},
		{"bad direction", func(m map[string]any) { m["rules"].([]any)[0].(map[string]any)["direction"] = "IN_US" }, "direction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseVisa(mutate(t, visaJSON, tc.spoil))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseVisa = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

func TestParseHSPRefusesBrokenTables(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(m map[string]any)
		want  string
	}{
		{"zero threshold", func(m map[string]any) { m["threshold"] = 0 }, "threshold"},
		{"kind without category", func(m map[string]any) { delete(obj(m, "kinds"), "fellowship") }, `"fellowship" has no category`},
		{"unknown degree level", func(m map[string]any) { obj(m, "degrees")["diploma"] = "bachelor" }, "diploma"},
		{"missing doctorate", func(m map[string]any) { delete(obj(m, "categories", "academic", "academicBackground"), "doctorate") }, "doctorate"},
		{"not a JLPT level", func(m map[string]any) { obj(m, "japaneseLanguage")["C1"] = 5 }, "C1"},
		{"source not https", func(m map[string]any) { obj(m, "source")["url"] = "ftp://x" }, "https"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHSP(mutate(t, hspJSON, tc.spoil))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseHSP = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

func TestHSPBandsAreOrderedBestFirst(t *testing.T) {
	h := HSP()
	for i := 1; i < len(h.AnnualSalary); i++ {
		if h.AnnualSalary[i-1].MinYen <= h.AnnualSalary[i].MinYen {
			t.Fatalf("salary bands out of order at %d: %+v", i, h.AnnualSalary)
		}
	}
	for i := 1; i < len(h.Age); i++ {
		if h.Age[i-1].MaxAge >= h.Age[i].MaxAge {
			t.Fatalf("age bands out of order at %d: %+v", i, h.Age)
		}
	}
}
