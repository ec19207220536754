package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// The matching service's resources as the UI reads them (DESIGN.md §3 and
// §4). Only the fields the pages show are decoded.

// Recommendation is a program recommended to the applicant, with the
// program itself, which the UI fills in.
type Recommendation struct {
	apimatching.Recommendation
	// Program is filled in by the UI.
	Program *programsev.Program `json:"-"`
}

// Application is an application to a program, with its place in the
// applicant's rank list and the program, which the UI fills in.
type Application struct {
	apimatching.Application
	// Rank is the program's place in the applicant's rank list, from 1;
	// 0 when it is not on the list.
	Rank int `json:"-"`
	// Program is filled in by the UI.
	Program *programsev.Program `json:"-"`
}

// Active reports whether the application stands.
func (a Application) Active() bool { return a.Status == "" || a.Status == "submitted" }

// Match is a proposed pairing and what became of it, with its program,
// which the UI fills in.
type Match struct {
	apimatching.Match
	// Program is filled in by the UI.
	Program *programsev.Program `json:"-"`
}

// Round is a match round. Its counts are read as a map, so that a page
// can list the counts it knows a wording for, whatever the API adds.
type Round struct {
	apimatching.Round
	Counts map[string]int `json:"counts"`
}

// programs fetches programs by id (each once), for naming them; programs
// the caller may not see are left out.
func (u *UI) programs(c echo.Context, ids []string) map[string]*programsev.Program {
	out := map[string]*programsev.Program{}
	for _, id := range ids {
		if _, done := out[id]; done || id == "" {
			continue
		}
		var p programsev.Program
		if err := u.call(c, http.MethodGet, "/programs/"+url.PathEscape(id), nil, &p); err != nil {
			out[id] = nil
			continue
		}
		out[id] = &p
	}
	return out
}

// myApplications lists the applicant's applications with their place in
// the rank list.
func (u *UI) myApplications(c echo.Context) ([]Application, error) {
	var res api.Page[Application]
	if err := u.call(c, http.MethodGet, "/applications/me", nil, &res); err != nil {
		return nil, err
	}
	var r apimatching.Ranking
	if err := u.call(c, http.MethodGet, "/applications/me/ranking", nil, &r); err != nil && statusOf(err) != http.StatusNotFound {
		return nil, err
	}
	for i := range res.Items {
		res.Items[i].Rank = slices.Index(r.ProgramIDs, res.Items[i].ProgramID) + 1
	}
	return res.Items, nil
}
