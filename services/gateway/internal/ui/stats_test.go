package ui

import (
	"strings"
	"testing"
	"time"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// statsRefused stands for a statistics page whose query the API refused.
type statsRefused struct{}

// sampleStats is a statistics answer as the placements service gives it:
// one group suppressed, one hidden to protect it.
func sampleStats() apiplacements.ExchangeStats {
	n := apiplacements.Count
	row := func(key string, cells ...apiplacements.StatsCell) apiplacements.StatsRow {
		r := apiplacements.StatsRow{Key: key, Counts: map[string]apiplacements.StatsCell{}}
		for i, m := range apiplacements.StatsMeasures {
			r.Counts[m] = cells[i]
		}
		return r
	}
	s, h := apiplacements.SuppressedCell(), apiplacements.HiddenCell()
	return apiplacements.ExchangeStats{
		GroupBy: "homeRegion", From: "2025-08", To: "2027-12", Measures: apiplacements.StatsMeasures, Threshold: 10,
		Groups: []apiplacements.StatsRow{
			row("Karnataka", s, s, s, s),
			row("Tamil Nadu", h, s, s, s),
			row("Maharashtra", n(25), n(12), s, s),
			row("unknown", n(11), s, s, s),
		},
		Totals: row("total", n(50), n(20), s, s),
		Target: apiplacements.StatsTarget{People: 500_000, Since: "2025-08", Years: 5, Counted: n(50), Share: 50.0 / 500_000,
			Source: "https://www.mea.gov.in/bilateral-documents.htm"},
	}
}

func TestStatsPageShowsMarkersAndTotals(t *testing.T) {
	u := testUI(t)
	for _, lang := range Languages {
		out := renderFixture(t, u, fixture{name: "stats", tmpl: "stats", title: "stats.title", data: sampleStats()}, lang)
		table := out[strings.Index(out, `id="stats-table"`):]
		for _, want := range []string{"&lt;10", "<td>25</td>", "<td>50</td>"} {
			if !strings.Contains(table, want) {
				t.Errorf("%s: stats table lacks %q", lang, want)
			}
		}
		if !strings.Contains(out, `href="/api/v1/stats/exchanges.csv?groupBy=homeRegion"`) {
			t.Errorf("%s: no CSV link for the same grouping", lang)
		}
		if !strings.Contains(out, `<progress max="500000" value="50"`) {
			t.Errorf("%s: no progress towards the target", lang)
		}
		// The chart's bars of suppressed cells are empty; their text says
		// <10, never a number.
		if strings.Count(out, `class="bar s0"`) != 4 {
			t.Errorf("%s: want one offersAccepted bar per group", lang)
		}
	}
}

func TestFormatMonth(t *testing.T) {
	m := time.Date(2027, time.April, 1, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "April 2027", "ja": "2027年4月", "hi": "अप्रैल 2027"} {
		if got := FormatMonth(lang, m); got != want {
			t.Errorf("FormatMonth(%s) = %q, want %q", lang, got, want)
		}
	}
}
