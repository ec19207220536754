package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs/internal/app"
	"github.com/talentbridge/platform/services/programs/internal/csvimport"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
	"github.com/talentbridge/platform/shared/api"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// maxIDLength bounds a path id; program ids are UUIDs.
const maxIDLength = 64

func actor(c echo.Context) domain.Actor {
	cl, ok := auth.FromContext(c)
	if !ok {
		return domain.Actor{}
	}
	return domain.Actor{ID: cl.UserID(), Role: cl.Role}
}

func pathID(c echo.Context) (string, error) {
	id := c.Param("id")
	if id == "" || len(id) > maxIDLength {
		return "", web.NotFound("program")
	}
	return id, nil
}

func (h *Handlers) create(c echo.Context) error {
	if err := jsonBody(c); err != nil {
		return err
	}
	content, err := ParseProgram(c.Request().Body)
	if err != nil {
		return err
	}
	a := actor(c)
	p, err := h.app.Create(c.Request().Context(), a, content)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/programs/"+p.ID)
	return c.JSON(http.StatusCreated, view(p, a))
}

// jsonBody refuses a body declared as something other than JSON.
func jsonBody(c echo.Context) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Detail: "send application/json"}
	}
	return nil
}

func (h *Handlers) update(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := jsonBody(c); err != nil {
		return err
	}
	content, err := ParseProgram(c.Request().Body)
	if err != nil {
		return err
	}
	a := actor(c)
	p, err := h.app.Update(c.Request().Context(), a, id, content)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view(p, a))
}

func (h *Handlers) publish(c echo.Context) error { return h.onProgram(c, h.app.Publish) }

func (h *Handlers) close(c echo.Context) error { return h.onProgram(c, h.app.Close) }

func (h *Handlers) get(c echo.Context) error { return h.onProgram(c, h.app.Get) }

// onProgram runs a use case on the program named in the path and answers
// with the program as the caller may see it.
func (h *Handlers) onProgram(c echo.Context, use func(context.Context, domain.Actor, string) (*domain.Program, error)) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a := actor(c)
	p, err := use(c.Request().Context(), a, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, view(p, a))
}

func (h *Handlers) search(c echo.Context) error {
	q, errs := search.ParseQuery(c.QueryParams())
	if len(errs) > 0 {
		return &domain.ValidationError{Fields: errs}
	}
	a := actor(c)
	if q.Mine && a.Role != domain.RoleHost {
		if a.ID == "" {
			return web.Unauthorized("sign in as a host to list your own programs")
		}
		return web.Forbidden("forbidden_role", "only hosts have programs of their own")
	}
	if q.Eligible && a.Role != domain.RoleApplicant {
		if a.ID == "" {
			return web.Unauthorized("sign in as an applicant to list the programs you can apply to")
		}
		return web.Forbidden("forbidden_role", "only applicants can list the programs they may apply to")
	}
	res, err := h.app.SearchFor(c.Request().Context(), a, q)
	if err != nil {
		return err
	}
	if q.Eligible {
		// The answer depends on who asks.
		c.Response().Header().Set("Cache-Control", "private, no-store")
	}
	return c.JSON(http.StatusOK, searchResponse(q, res, a))
}

// importCSV takes a CSV file as the raw body (text/csv) or as the "file"
// part of a multipart form. ?publish=true publishes every program at once.
func (h *Handlers) importCSV(c echo.Context) error {
	publish := false
	if s := c.QueryParam("publish"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return web.Invalid(fielderr.NewFormat("publish", "boolean").Because("must be true or false"))
		}
		publish = b
	}
	body, done, err := csvBody(c)
	if err != nil {
		return err
	}
	defer done()
	src := &web.ReadRecorder{R: body}
	rows, problems := csvimport.Parse(src)
	if tooLarge(src.Err) {
		return bodyTooLarge()
	}
	a := actor(c)
	progs, err := h.app.Import(c.Request().Context(), a, rows, problems, publish)
	var ie *app.ImportError
	if errors.As(err, &ie) {
		return importProblem(c, ie)
	}
	if err != nil {
		return err
	}
	out := apiprograms.ImportResponse{Imported: len(progs), Items: make([]programsev.Program, 0, len(progs))}
	for _, p := range progs {
		out.Items = append(out.Items, view(p, a))
	}
	return c.JSON(http.StatusCreated, out)
}

// csvBody returns the CSV file of an import request as a stream: the body
// itself (text/csv, up to web.CSVBodyLimit) or the "file" field of a
// multipart form (within the server's small limit). done releases it.
func csvBody(c echo.Context) (io.Reader, func(), error) {
	req := c.Request()
	mt := "text/csv"
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		var err error
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			mt = ""
		}
	}
	var r io.Reader
	switch mt {
	case "text/csv", "application/csv", "text/plain":
		r = req.Body
	case echo.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			if tooLarge(err) {
				return nil, nil, bodyTooLarge()
			}
			return nil, nil, web.Invalid(fielderr.NewRequired("file").Because("attach the CSV file as the form field \"file\""))
		}
		f, err := fh.Open()
		if err != nil {
			return nil, nil, fmt.Errorf("open upload: %w", err)
		}
		return f, func() { _ = f.Close() }, nil
	default:
		return nil, nil, &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "send the CSV as text/csv or as the file field of multipart/form-data"}
	}
	return r, func() {}, nil
}

func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func bodyTooLarge() error {
	return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Detail: "the file is larger than allowed"}
}

// importProblem answers a refused import: 400 with every problem, by line.
func importProblem(c echo.Context, ie *app.ImportError) error {
	p := api.ImportProblem{
		Type:     "https://talentbridge.example/problems/invalid_import",
		Title:    http.StatusText(http.StatusBadRequest),
		Status:   http.StatusBadRequest,
		Code:     "invalid_import",
		Detail:   fmt.Sprintf("nothing was imported: the file has %d problems", len(ie.Rows)),
		Instance: c.Request().URL.Path,
	}
	if ie.Rows != nil {
		p.Errors = api.RowErrors(ie.Rows)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusBadRequest, "application/problem+json", body)
}

// Problems is the service's one web.Mapper: the domain's errors with their
// HTTP meaning, or nil for the platform's error handler to decide. Handlers
// return domain errors as they are.
func Problems(err error) *web.Error {
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		return web.Invalid(ve.Fields...)
	case errors.Is(err, domain.ErrNotFound):
		return web.NotFound("program")
	case errors.Is(err, domain.ErrHostNotVerified):
		return web.Forbidden("host_not_verified", "your host account has not been verified by a coordinator yet")
	case errors.Is(err, domain.ErrClosed):
		return web.Conflict("program_closed", "the program is closed and can no longer change")
	case errors.Is(err, domain.ErrLocked):
		return web.Conflict("program_locked", "seats and eligibility cannot change after a match round that includes this program has run")
	case errors.Is(err, domain.ErrDeadlinePassed):
		return web.Conflict("deadline_passed", "the application deadline has passed; set a later one before publishing")
	case errors.Is(err, app.ErrConflict):
		return web.Conflict("concurrent_update", "the program was changed by someone else at the same time; try again")
	case errors.Is(err, domain.ErrSearchNotFound):
		return web.NotFound("saved search")
	case errors.Is(err, domain.ErrTooManySearches):
		return web.Conflict("too_many_searches", fmt.Sprintf("you can keep at most %d saved searches; delete one first", domain.MaxSavedSearches))
	case errors.Is(err, app.ErrNoProfile):
		return web.Conflict("no_profile", "create your profile first: the programs you can apply to are decided from it (a profile saved a moment ago may take a few seconds to count)")
	case errors.Is(err, domain.ErrNotApplicant):
		return web.Forbidden("forbidden", "only applicants save searches")
	}
	return nil
}
