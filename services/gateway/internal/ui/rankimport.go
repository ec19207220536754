package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/web"
)

// rankImportKind is one of the two rank-list imports: a program's ranking
// of applicants (its host or a coordinator) or a round's rank lists
// (coordinators).
type rankImportKind struct {
	// Key prefixes the page's message ids ("rimport.program.title", …).
	Key string
	// Page is the UI path with ":id"; API is the API path with ":id".
	Page, API string
}

var (
	programRankImport = rankImportKind{Key: "rimport.program", Page: "/host/programs/:id/ranking/import", API: "/programs/:id/ranking/import"}
	roundRankImport   = rankImportKind{Key: "rimport.round", Page: "/coord/rounds/:id/ranks/import", API: "/rounds/:id/ranks/import"}
)

func (k rankImportKind) path(pattern, id string) string {
	return strings.Replace(pattern, ":id", url.PathEscape(id), 1)
}

// RankImportData is a rank-list import page.
type RankImportData struct {
	Key    string
	Action string
	// Rows are the problems of a refused file, by line.
	Rows []web.FieldError
	Done bool
	// Count is how many applicants were ranked (program) or rank lists set
	// (round); Recorded how many applications were recorded on behalf.
	Count, Recorded int
}

func (u *UI) rankImportForm(k rankImportKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := u.page(c, k.Key+".title")
		p.Form = newForm(nil)
		p.Data = RankImportData{Key: k.Key, Action: k.path(k.Page, c.Param("id"))}
		return u.render(c, http.StatusOK, "rank_import", p)
	}
}

func (u *UI) rankImport(k rankImportKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		p := u.page(c, k.Key+".title")
		p.Form = newForm(nil)
		d := RankImportData{Key: k.Key, Action: k.path(k.Page, id)}
		raw, ok, err := uploadedFile(c)
		if err != nil {
			return err
		}
		if !ok {
			p.Form.add("file", "rimport.file", "problem.required", "")
			p.Data = d
			return u.render(c, http.StatusUnprocessableEntity, "rank_import", p)
		}
		var ranking apimatching.ProgramRanking
		var rounds apimatching.RankImportResult
		var out any = &ranking
		if k == roundRankImport {
			out = &rounds
		}
		err = u.call(c, http.MethodPost, k.path(k.API, id), csvBody(raw), out)
		var ae *APIError
		switch {
		case err == nil:
			d.Done = true
			d.Count, d.Recorded = len(ranking.ApplicantIDs), 0
			if k == roundRankImport {
				d.Count, d.Recorded = rounds.Applicants, rounds.Applications
			}
			p.Data = d
			return u.render(c, http.StatusOK, "rank_import", p)
		case errors.As(err, &ae) && ae.Status < 500 && ae.Status != http.StatusUnauthorized &&
			ae.Status != http.StatusNotFound && ae.Status != http.StatusForbidden:
			d.Rows = ae.Problem.Errors
			if len(d.Rows) == 0 {
				p.Form.add("file", "rimport.file", "problem.invalid", ae.Problem.Detail)
			}
			p.Data = d
			return u.render(c, http.StatusUnprocessableEntity, "rank_import", p)
		}
		return err
	}
}
