package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/platform"
)

// The public exchange statistics page (/stats): no sign-in; the counts come
// from GET /stats/exchanges, already suppressed by the service, and are
// drawn as a chart with the same numbers in a table beside it.

// StatsData is the statistics page.
type StatsData struct {
	Stats apiplacements.ExchangeStats
	// Loaded is false when the query was refused (the form shows why).
	Loaded bool
	Chart  Chart
	// Rows are the table's rows: the group's label and its cells as text.
	Rows   []StatsRowText
	Totals StatsRowText
	// GroupBys are the groupings the form offers.
	GroupBys []string
	// CSV is the address of the same table as CSV.
	CSV string
	// Counted and Share are the target block's figures as text.
	Counted string
	Share   string
	// Shown reports whether the count against the target is published.
	Shown bool
}

// StatsRowText is a table row as the page writes it.
type StatsRowText struct {
	Label string
	Cells []string
}

func (u *UI) stats(c echo.Context) error {
	q := url.Values{}
	for _, k := range []string{"groupBy", "from", "to"} {
		if v := strings.TrimSpace(c.QueryParam(k)); v != "" {
			q.Set(k, v)
		}
	}
	p := u.page(c, "stats.title")
	p.Form = newForm(q)
	var res apiplacements.ExchangeStats
	err := u.call(c, http.MethodGet, "/stats/exchanges?"+q.Encode(), nil, &res)
	switch {
	case err == nil:
	case p.Form.fromProblem(err, simpleFields(map[string]string{"groupBy": "stats.group_by", "from": "stats.from", "to": "stats.to"})):
	default:
		return err
	}
	p.Data = statsData(p, res, err == nil, q)
	return u.render(c, http.StatusOK, "stats", p)
}

// statsData lays the answer out for the template.
func statsData(p *Page, res apiplacements.ExchangeStats, loaded bool, q url.Values) StatsData {
	d := StatsData{Stats: res, Loaded: loaded, GroupBys: apiplacements.StatsGroupBys,
		CSV: platform.APIPrefix + "/stats/exchanges.csv?" + q.Encode()}
	if !loaded {
		return d
	}
	var series []string
	for _, m := range res.Measures {
		series = append(series, p.T("stats.measure."+m))
	}
	ch := newChart("chart-exchanges", p.T("stats.chart", "By", p.T("stats.by."+res.GroupBy)), series...)
	for _, g := range res.Groups {
		label := statsLabel(p, res.GroupBy, g.Key)
		var values []float64
		var texts []string
		for _, m := range res.Measures {
			cell := g.Counts[m]
			values = append(values, float64(cell.Value()))
			texts = append(texts, statsCell(p, cell))
		}
		ch.group(label, false, values, texts)
		d.Rows = append(d.Rows, StatsRowText{Label: label, Cells: texts})
	}
	d.Chart = ch.build(0)
	d.Totals = StatsRowText{Label: p.T("stats.total")}
	for _, m := range res.Measures {
		d.Totals.Cells = append(d.Totals.Cells, statsCell(p, res.Totals.Counts[m]))
	}
	d.Shown = res.Target.Counted.Shown()
	d.Counted = statsCell(p, res.Target.Counted)
	if d.Shown {
		d.Share = strconv.FormatFloat(res.Target.Share*100, 'f', 3, 64) + "%"
	}
	return d
}

// statsCell writes a count, or its marker ("<10" reads the same in every
// language; a hidden count is named in the reader's).
func statsCell(p *Page, c apiplacements.StatsCell) string {
	switch c.Marker() {
	case "":
		return p.Int(c.Value())
	case apiplacements.StatsHidden:
		return p.T("stats.hidden")
	}
	return c.Marker()
}

// statsLabel names a group in the reader's language.
func statsLabel(p *Page, by, key string) string {
	if key == apiplacements.StatsUnknown {
		return p.T("stats.unknown")
	}
	switch by {
	case apiplacements.StatsByDirection:
		if p.Known("stats.direction." + key) {
			return p.T("stats.direction." + key)
		}
	case apiplacements.StatsByKind:
		return p.Kind(key)
	case apiplacements.StatsByField:
		return p.Field(key)
	case apiplacements.StatsByHostRegion, apiplacements.StatsByHomeRegion:
		return p.Region(key)
	case apiplacements.StatsByMonth:
		if t, err := time.Parse("2006-01", key); err == nil {
			return FormatMonth(p.Lang, t)
		}
	}
	return key
}

// FormatMonth writes a calendar month: "April 2027", "2027年4月",
// "अप्रैल 2027".
func FormatMonth(lang string, t time.Time) string {
	y, m := t.Year(), t.Month()
	switch lang {
	case "ja":
		return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月"
	case "hi":
		return hindiMonths[m-1] + " " + strconv.Itoa(y)
	}
	return englishMonths[m-1] + " " + strconv.Itoa(y)
}
