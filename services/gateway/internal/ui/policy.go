package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// The round policy editor (on the new-round form) has a fixed number of
// region rows, so it works without JavaScript; a row left empty is no
// region. Inputs are named "region<i>.id", ".name", ".cap", ".programs"
// (checkboxes, in the order listed: the region's round-robin order) and
// ".target.<programId>".
const formRegions = 3

// RegionRow is one row of the policy editor.
type RegionRow struct {
	Index  int
	Number int
	// Prefix is the inputs' name prefix, "region<i>".
	Prefix string
}

func regionRows() []RegionRow {
	rows := make([]RegionRow, formRegions)
	for i := range rows {
		rows[i] = RegionRow{Index: i, Number: i + 1, Prefix: "region" + strconv.Itoa(i)}
	}
	return rows
}

// parsePolicy reads the editor's rows into a policy (nil when every row is
// empty), noting numbers that are not numbers on f. rows[k] is the form
// row of the policy's k-th region, for placing the API's field errors.
func parsePolicy(v url.Values, f *Form) (*apimatching.Policy, []int) {
	var pol apimatching.Policy
	var rows []int
	for i := range formRegions {
		pre := "region" + strconv.Itoa(i)
		id, name := strings.TrimSpace(v.Get(pre+".id")), strings.TrimSpace(v.Get(pre+".name"))
		capText := strings.TrimSpace(v.Get(pre + ".cap"))
		progs := nonEmpty(v[pre+".programs"])
		if id == "" && name == "" && capText == "" && len(progs) == 0 {
			continue
		}
		r := apimatching.Region{ID: id, Name: name, ProgramIDs: progs}
		if r.ProgramIDs == nil {
			r.ProgramIDs = []string{}
		}
		if n, err := strconv.Atoi(capText); err == nil {
			r.Cap = n
		} else {
			f.add(pre+".cap", "rpol.cap", "problem.number", "")
		}
		for key, vals := range v {
			pid, ok := strings.CutPrefix(key, pre+".target.")
			if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
			if err != nil {
				f.add(key, "rpol.target", "problem.number", "")
				continue
			}
			if r.Targets == nil {
				r.Targets = map[string]int{}
			}
			r.Targets[pid] = n
		}
		pol.Regions = append(pol.Regions, r)
		rows = append(rows, i)
	}
	if len(pol.Regions) == 0 {
		return nil, nil
	}
	return &pol, rows
}

// policyFieldRe reads an API field of the policy:
// policy.regions[k].<what>[.<program>] with an optional list index.
var policyFieldRe = regexp.MustCompile(`^policy\.regions\[(\d+)\]\.(id|name|cap|programIds|targets)(?:\[\d+\]|\.(.+))?$`)

// roundFields maps the new-round form's API fields, the policy's among
// them, to their inputs.
func roundFields(rows []int) fieldMap {
	plain := simpleFields(map[string]string{"name": "rnew.name", "programIds": "rnew.programs", "seed": "rnew.seed", "offerDays": "rnew.offer_days"})
	labels := map[string]string{"id": "rpol.id", "name": "rpol.name", "cap": "rpol.cap", "programIds": "rpol.programs", "targets": "rpol.target"}
	return func(field string) (string, string, bool) {
		m := policyFieldRe.FindStringSubmatch(field)
		if m == nil {
			if strings.HasPrefix(field, "policy") {
				return "policy", "rpol.title", true
			}
			return plain(field)
		}
		k, _ := strconv.Atoi(m[1])
		if k >= len(rows) {
			return "policy", "rpol.title", true
		}
		pre := "region" + strconv.Itoa(rows[k])
		switch m[2] {
		case "programIds":
			return pre + ".programs", labels[m[2]], true
		case "targets":
			return pre + ".target." + m[3], labels[m[2]], true
		}
		return pre + "." + m[2], labels[m[2]], true
	}
}

// Category words a category code in the page's language.
func (p *Page) Category(code string) string { return enumLabel(taxonomy.Categories, code, p.Lang) }

// MockData is a round's mock-run page.
type MockData struct {
	Round    Round
	Mock     *apimatching.MockRun
	Programs map[string]*programsev.Program
	People   map[string]*profilesev.Profile
}

func (u *UI) mockPage(c echo.Context) error {
	id := c.Param("id")
	var r Round
	if err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id), nil, &r); err != nil {
		return err
	}
	p := u.page(c, "mock.title")
	p.TitleRaw = r.Name
	d := MockData{Round: r, Programs: u.programs(c, r.ProgramIDs), People: map[string]*profilesev.Profile{}}
	for _, pr := range d.Programs {
		p.nameProgram(pr)
	}
	var m apimatching.MockRun
	switch err := u.call(c, http.MethodGet, "/rounds/"+url.PathEscape(id)+"/mock", nil, &m); {
	case err == nil:
		d.Mock = &m
		for _, x := range m.Items {
			var pr profilesev.Profile
			if err := u.call(c, http.MethodGet, "/profiles/"+url.PathEscape(x.ApplicantID), nil, &pr); err == nil {
				d.People[x.ApplicantID] = &pr
			}
		}
	case statusOf(err) != http.StatusNotFound:
		return err
	}
	p.Data = d
	return u.render(c, http.StatusOK, "mock", p)
}

func (u *UI) runMock(c echo.Context) error {
	id := c.Param("id")
	err := u.call(c, http.MethodPost, "/rounds/"+url.PathEscape(id)+"/mock", nil, nil)
	if err != nil && statusOf(err) != http.StatusConflict {
		return err
	}
	if err != nil {
		return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"?done=round_refused")
	}
	return seeOther(c, "/coord/rounds/"+url.PathEscape(id)+"/mock?done=mock_done")
}

// Count shows a report's count of people: the number, or the marker of a
// group too small to show.
func (p *Page) Count(c apimatching.Count) string {
	if c.Suppressed || c.N == nil {
		return c.Display
	}
	return p.Int(*c.N)
}
