package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/csvexport"
)

// maxCSVCandidates bounds a candidates export: the pages are read one
// after another until the list ends or this many rows are written.
const maxCSVCandidates = 10000

// candidatesCSV is the program's candidates as GET /programs/{id}/candidates
// returns them (the same use case and the same mapping, so whatever the
// JSON leaves out the file leaves out too), one row each, every cell
// escaped by shared/csvexport.
func (h *Handlers) candidatesCSV(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csvexport.NewWriter(&buf)
	if err := w.Write([]string{"applicantId", "name", "initials", "institution", "homeCountry", "kind", "degreeLevel",
		"fields", "skills", "score", "applied", "stage"}); err != nil {
		return err
	}
	for offset := 0; offset < maxCSVCandidates; offset += MaxPageSize {
		cands, total, err := h.App.Candidates(c.Request().Context(), caller(c), id, offset, MaxPageSize)
		if err != nil {
			return err
		}
		for _, cd := range cands {
			v := candidateOf(cd)
			if err := w.Write([]string{v.ApplicantID, v.Name, v.Initials, v.Institution, v.HomeCountry, v.Kind, v.DegreeLevel,
				strings.Join(v.Fields, ";"), strings.Join(v.Skills, ";"), strconv.FormatFloat(v.Score, 'f', 3, 64),
				strconv.FormatBool(v.Applied), v.Stage}); err != nil {
				return err
			}
		}
		if len(cands) < MaxPageSize || offset+len(cands) >= total {
			break
		}
	}
	return sendCSV(c, &buf, w, "candidates-"+id+".csv")
}

// reportCSV is the round's outcome report, as GET /rounds/{id}/report
// returns it, in one long table: section, id, group, measure, value.
// Counts of people come with the report's suppression ("<10", "hidden");
// the counts the JSON gives as plain numbers per choice and per reason
// are suppressed here under 10 as well, since a file travels further than
// a page.
func (h *Handlers) reportCSV(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	rep, err := h.App.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csvexport.NewWriter(&buf)
	for _, row := range reportRows(rep) {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	return sendCSV(c, &buf, w, "round-"+id+"-report.csv")
}

func sendCSV(c echo.Context, buf *bytes.Buffer, w *csvexport.Writer, name string) error {
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderCacheControl, "no-store")
	hd.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, csvexport.ContentType, buf.Bytes())
}

// reportRows lays the report out as rows under a header.
func reportRows(rep *apimatching.Report) [][]string {
	rows := [][]string{{"section", "id", "group", "measure", "value"}}
	add := func(section, id, group, measure, value string) {
		rows = append(rows, []string{section, id, group, measure, value})
	}
	num := strconv.Itoa
	rate := func(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
	people := func(n int) string { return domain.PeopleCount(n).Display }
	t := rep.Totals
	add("round", rep.RoundID, "", "status", rep.Status)
	add("round", rep.RoundID, "", "runs", num(rep.Runs))
	for _, m := range []struct {
		name  string
		value string
	}{{"applicants", num(t.Applicants)}, {"matched", num(t.Matched)}, {"unmatched", num(t.Unmatched)},
		{"matchRate", rate(t.MatchRate)}, {"seats", num(t.Seats)}, {"offered", num(t.Offered)}, {"filled", num(t.Filled)},
		{"completed", num(t.Completed)}, {"endedEarly", num(t.EndedEarly)}} {
		add("totals", "", "", m.name, m.value)
	}
	for _, p := range rep.Programs {
		for _, m := range []struct {
			name string
			n    int
		}{{"seats", p.Seats}, {"matched", p.Matched}, {"proposed", p.Proposed}, {"approved", p.Approved},
			{"rejected", p.Rejected}, {"offered", p.Offered}, {"filled", p.Filled}, {"declined", p.Declined}} {
			add("program", p.ProgramID, p.Title, m.name, num(m.n))
		}
	}
	groups := func(section string, gs []apimatching.GroupRate) {
		for _, g := range gs {
			if g.Suppressed {
				add(section, "", g.Value, "applicants", g.Display)
				continue
			}
			add(section, "", g.Value, "applicants", num(g.Applicants))
			add(section, "", g.Value, "matched", num(g.Matched))
			add(section, "", g.Value, "matchRate", rate(g.Rate))
		}
	}
	groups("homeCountry", rep.ByHomeCountry)
	groups("kind", rep.ByKind)
	groups("degreeLevel", rep.ByDegreeLevel)
	groups("gender", rep.ByGender)
	for _, ch := range rep.Choices {
		add("choice", "", num(ch.Choice), "matched", people(ch.Count))
	}
	for _, u := range rep.Unmatched {
		add("unmatched", "", u.Code, "applicants", people(u.Count))
	}
	for _, cr := range rep.ByCategory {
		add("category", "", cr.Category, "reserved", num(cr.Reserved))
		add("category", "", cr.Category, "toCategory", cr.ToCategory.Display)
		add("category", "", cr.Category, "reverted", cr.Reverted.Display)
	}
	for _, r := range rep.ByRegion {
		add("region", r.RegionID, r.Name, "cap", num(r.Cap))
		add("region", r.RegionID, r.Name, "filled", r.Filled.Display)
	}
	return rows
}
