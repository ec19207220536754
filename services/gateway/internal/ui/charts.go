package ui

import (
	"strconv"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// Charts of the outcome report are horizontal bar charts drawn as SVG by
// the templates; the geometry is worked out here so the templates only
// place what they are given. Every chart also comes as a table for screen
// readers.

// Chart geometry, in SVG user units.
const (
	chartLabelW = 240
	chartPlotW  = 300
	chartValueW = 120
	chartBarH   = 16
	chartBarGap = 4
	chartGroupG = 12
	chartTop    = 8
)

// Chart is one bar chart.
type Chart struct {
	ID    string
	Title string
	// Series names the bars of each group, for the legend; one series
	// needs no legend.
	Series []string
	Groups []ChartGroup
	Width  int
	Height int
	// LabelX is where group labels end, PlotX where bars start.
	LabelX, PlotX int
}

// chartLabelMax is the longest label drawn, in characters; longer ones
// are cut, and the whole label is the element's title and in the table.
const chartLabelMax = 30

// ChartGroup is a labelled group of bars (one bar per series).
type ChartGroup struct {
	Label string
	// Short is the label as drawn.
	Short string
	// Raw marks a label that is content (a program title), not UI text.
	Raw    bool
	LabelY int
	Bars   []ChartBar
}

// ChartBar is one bar.
type ChartBar struct {
	Series int
	Value  float64
	Text   string
	X, Y   int
	W      int
	TextX  int
	TextY  int
}

// chartBuilder collects groups then lays them out.
type chartBuilder struct {
	c   Chart
	max float64
}

func newChart(id, title string, series ...string) *chartBuilder {
	return &chartBuilder{c: Chart{ID: id, Title: title, Series: series}}
}

// group adds a group with one value per series and their texts.
func (b *chartBuilder) group(label string, raw bool, values []float64, texts []string) {
	g := ChartGroup{Label: label, Short: label, Raw: raw}
	if r := []rune(label); len(r) > chartLabelMax {
		g.Short = string(r[:chartLabelMax-1]) + "…"
	}
	for i, v := range values {
		g.Bars = append(g.Bars, ChartBar{Series: i, Value: v, Text: texts[i]})
		b.max = max(b.max, v)
	}
	b.c.Groups = append(b.c.Groups, g)
}

// scale fixes the value that fills the plot (1 for rates, say); zero means
// the largest value.
func (b *chartBuilder) build(scale float64) Chart {
	if scale <= 0 {
		scale = b.max
	}
	y := chartTop
	for gi := range b.c.Groups {
		g := &b.c.Groups[gi]
		top := y
		for bi := range g.Bars {
			bar := &g.Bars[bi]
			bar.X, bar.Y = chartLabelW, y
			if scale > 0 {
				bar.W = int(bar.Value / scale * chartPlotW)
			}
			if bar.Value > 0 && bar.W < 2 {
				bar.W = 2
			}
			bar.TextX = chartLabelW + bar.W + 6
			bar.TextY = y + chartBarH - 4
			y += chartBarH + chartBarGap
		}
		g.LabelY = top + (y-top-chartBarGap)/2 + 5
		y += chartGroupG
	}
	b.c.Width = chartLabelW + chartPlotW + chartValueW
	b.c.Height = y
	b.c.LabelX, b.c.PlotX = chartLabelW-8, chartLabelW
	return b.c
}

// reportCharts draws the report: seats and outcomes by program, match rates
// by group, choices obtained and why applicants went without a seat.
func reportCharts(p *Page, rep apimatching.Report) []Chart {
	var charts []Chart
	num := func(n int) string { return FormatInt(p.Lang, int64(n)) }

	prog := newChart("chart-programs", p.T("report.chart.programs"),
		p.T("report.series.seats"), p.T("report.series.matched"), p.T("report.series.filled"))
	for _, pr := range rep.Programs {
		title := pr.Title
		if title == "" {
			title = pr.ProgramID
		}
		prog.group(title, true,
			[]float64{float64(pr.Seats), float64(pr.Matched), float64(pr.Filled)},
			[]string{num(pr.Seats), num(pr.Matched), num(pr.Filled)})
	}
	charts = append(charts, prog.build(0))

	rates := func(id, title string, groups []apimatching.GroupRate, label func(string) string) {
		b := newChart(id, title)
		for _, g := range groups {
			if g.Suppressed {
				// A group too small to show: no bar, no number.
				text := p.T("report.hidden")
				if g.Display != "hidden" {
					text = g.Display
				}
				b.group(label(g.Value), false, []float64{0}, []string{text})
				continue
			}
			b.group(label(g.Value), false, []float64{g.Rate},
				[]string{p.T("report.rate", "Rate", FormatPercent(g.Rate), "Matched", num(g.Matched), "Applicants", num(g.Applicants))})
		}
		charts = append(charts, b.build(1))
	}
	rates("chart-country", p.T("report.chart.country"), rep.ByHomeCountry, p.Country)
	rates("chart-kind", p.T("report.chart.kind"), rep.ByKind, p.ApplicantKind)
	rates("chart-degree", p.T("report.chart.degree"), rep.ByDegreeLevel, p.Degree)
	rates("chart-gender", p.T("report.chart.gender"), rep.ByGender, func(v string) string { return p.T("gender." + v) })

	ch := newChart("chart-choices", p.T("report.chart.choices"))
	for _, cc := range rep.Choices {
		ch.group(p.T("report.choice", "N", strconv.Itoa(cc.Choice)), false, []float64{float64(cc.Count)}, []string{num(cc.Count)})
	}
	charts = append(charts, ch.build(0))

	un := newChart("chart-unmatched", p.T("report.chart.unmatched"))
	for _, rc := range rep.Unmatched {
		un.group(p.T("outcome."+rc.Code), false, []float64{float64(rc.Count)}, []string{num(rc.Count)})
	}
	charts = append(charts, un.build(0))
	return charts
}
