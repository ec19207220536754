package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/rankimport"
	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/web"
)

// importProgramRanking handles POST /programs/{id}/ranking/import: a
// text/csv body (up to web.CSVBodyLimit), read as a stream.
func (h *Handlers) importProgramRanking(c echo.Context) error {
	id, err := pathID(c, "program")
	if err != nil {
		return err
	}
	return importCSV(c, rankimport.ParseRanking, func(refs []rankimport.Ref) (any, error) {
		r, err := h.App.ImportProgramRanking(c.Request().Context(), caller(c), id, refs)
		if err != nil {
			return nil, err
		}
		return programRankingOf(r), nil
	})
}

// importRoundRanks handles POST /rounds/{id}/ranks/import: a text/csv
// body (up to web.CSVBodyLimit), read as a stream.
func (h *Handlers) importRoundRanks(c echo.Context) error {
	id, err := pathID(c, "round")
	if err != nil {
		return err
	}
	parse := func(r io.Reader) ([]rankimport.RankRow, []rankimport.Problem, error) {
		return rankimport.ParseRanks(r, domain.MaxRanked)
	}
	return importCSV(c, parse, func(rows []rankimport.RankRow) (any, error) {
		res, err := h.App.ImportRoundRanks(c.Request().Context(), caller(c), id, rows)
		if err != nil {
			return nil, err
		}
		return apimatching.RankImportResult{Applicants: res.Applicants, Applications: res.Applications}, nil
	})
}

// importCSV is the part both rank imports share: it refuses a body that is
// not text/csv (415), too large (413) or unreadable (400), answers every
// refused line at once (422) from the parser or from store, and otherwise
// answers store's result.
func importCSV[T any](c echo.Context, parse func(io.Reader) (T, []rankimport.Problem, error),
	store func(T) (any, error)) error {
	req := c.Request()
	if !web.IsCSV(req.Header.Get(echo.HeaderContentType)) {
		return &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "send the file as text/csv"}
	}
	src := &web.ReadRecorder{R: req.Body}
	rows, problems, err := parse(src)
	if tooLarge := tooLargeError(src.Err, err); tooLarge != nil {
		return tooLarge
	}
	if err != nil {
		return web.BadRequest("unreadable_body", "the file could not be read")
	}
	if len(problems) > 0 {
		return importRefused(c, problems)
	}
	out, err := store(rows)
	var ie *app.ImportError
	if errors.As(err, &ie) {
		return importRefused(c, ie.Problems)
	}
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, out)
}

// tooLargeError is the 413 answer when reading the body hit its limit.
func tooLargeError(errs ...error) error {
	for _, err := range errs {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
				Detail: fmt.Sprintf("the file may be at most %d bytes", mbe.Limit)}
		}
	}
	return nil
}

// importRefused answers 422 with every bad line; nothing was written.
func importRefused(c echo.Context, problems []rankimport.Problem) error {
	p := api.ImportProblem{
		Type:     "https://talentbridge.example/problems/import_rejected",
		Title:    http.StatusText(http.StatusUnprocessableEntity),
		Status:   http.StatusUnprocessableEntity,
		Code:     "import_rejected",
		Detail:   fmt.Sprintf("%d lines have problems; nothing was imported. Fix them and send the whole file again.", len(problems)),
		Instance: c.Request().URL.Path,
		Errors:   api.RowErrors(problems),
	}
	for i := range p.Errors {
		if p.Errors[i].Field == "" {
			p.Errors[i].Field = "applicant"
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusUnprocessableEntity, "application/problem+json", b)
}
