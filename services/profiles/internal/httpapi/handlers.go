package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/csvimport"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/api"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/web"
)

// List paging.
const (
	DefaultPageSize = web.DefaultPageSize
	MaxPageSize     = web.MaxPageSize
	maxTerms        = 10
	maxTermLen      = 100
)

// consentNotice answers GET /profiles/consent-notice?lang=en|ja|hi: the
// notice in force in the language asked for (English when lang is left
// out); the version is the same in every language.
func (h *Handlers) consentNotice(c echo.Context) error {
	lang := strings.TrimSpace(c.QueryParam("lang"))
	if lang == "" {
		lang = domain.NoticeLanguages[0]
	}
	text, ok := domain.Notice(lang)
	if !ok {
		return web.Invalid(fielderr.NewOneOf("lang", domain.NoticeLanguages).
			Because("must be one of %s, not %q: the notice is published in these languages", strings.Join(domain.NoticeLanguages, "|"), lang))
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	c.Response().Header().Set("Content-Language", lang)
	return c.JSON(http.StatusOK, apiprofiles.ConsentNotice{
		Version:     domain.NoticeVersion,
		PublishedAt: domain.NoticePublished,
		Language:    lang,
		Languages:   domain.NoticeLanguages,
		Text:        text,
	})
}

func (h *Handlers) create(c echo.Context) error {
	cl := claims(c)
	d, err := bindProfile(c)
	if err != nil {
		return err
	}
	p, err := h.App.Create(c.Request().Context(), cl.UserID(), d)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/profiles/"+url.PathEscape(p.ID))
	return private(c, http.StatusCreated, app.View(p, app.AudienceFull))
}

func (h *Handlers) mine(c echo.Context) error {
	p, err := h.App.Mine(c.Request().Context(), claims(c).UserID())
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.View(p, app.AudienceFull))
}

func (h *Handlers) revise(c echo.Context) error {
	d, err := bindProfile(c)
	if err != nil {
		return err
	}
	p, err := h.App.Revise(c.Request().Context(), claims(c).UserID(), d)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.View(p, app.AudienceFull))
}

func (h *Handlers) erase(c echo.Context) error {
	if err := h.App.Erase(c.Request().Context(), claims(c).UserID()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handlers) export(c echo.Context) error {
	x, err := h.App.Export(c.Request().Context(), claims(c).UserID())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="talentbridge-export.json"`)
	return private(c, http.StatusOK, x)
}

func (h *Handlers) draft(c echo.Context) error {
	d, err := h.App.Draft(c.Request().Context(), claims(c).UserID())
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.DraftView(d))
}

func (h *Handlers) saveDraft(c echo.Context) error {
	var r apiprofiles.DraftRequest
	if err := web.Bind(c, &r); err != nil {
		return err
	}
	d, err := h.App.SaveDraft(c.Request().Context(), claims(c).UserID(), r)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.DraftView(d))
}

func (h *Handlers) deleteDraft(c echo.Context) error {
	if err := h.App.DeleteDraft(c.Request().Context(), claims(c).UserID()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Handlers) read(c echo.Context) error {
	cl := claims(c)
	caller := app.Caller{ID: cl.UserID()}
	switch {
	case cl.HasRole(auth.RoleCoordinator, auth.RoleAdmin):
		caller.Role = app.RoleCoordinator
	case cl.HasRole(auth.RoleHost):
		caller.Role = app.RoleHost
	case cl.HasRole(auth.RoleApplicant):
		caller.Role = app.RoleApplicant
	default:
		return web.NotFound("profile")
	}
	p, audience, err := h.App.Read(c.Request().Context(), caller, c.Param("id"))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.View(p, audience))
}

func (h *Handlers) list(c echo.Context) error {
	q, err := parseQuery(c.QueryParams())
	if err != nil {
		return err
	}
	ps, total, err := h.App.List(c.Request().Context(), q)
	if err != nil {
		return err
	}
	page := api.Page[apiprofiles.Profile]{Items: make([]apiprofiles.Profile, len(ps)), Page: q.Page, PageSize: q.PageSize, Total: total}
	for i, p := range ps {
		page.Items[i] = app.View(p, app.AudienceFull)
	}
	return private(c, http.StatusOK, page)
}

// parseQuery reads the list filters; every bad one is reported.
func parseQuery(v map[string][]string) (app.Query, error) {
	get := func(k string) string {
		if len(v[k]) == 0 {
			return ""
		}
		return strings.TrimSpace(v[k][0])
	}
	q := app.Query{Page: 1, PageSize: DefaultPageSize}
	var fe []web.FieldError
	bad := func(e web.FieldError) { fe = append(fe, e) }
	if q.HomeCountry = get("country"); q.HomeCountry != "" && !taxonomy.IsCountry(q.HomeCountry) {
		bad(fielderr.NewUnknownCode("country", "country").Because("must be IN or JP, not %q", q.HomeCountry))
	}
	if q.Kind = get("kind"); q.Kind != "" && !taxonomy.ApplicantKinds.Valid(q.Kind) {
		bad(fielderr.NewOneOf("kind", taxonomy.ApplicantKinds.Codes()).Because("must be one of %s, not %q", taxonomy.ApplicantKinds, q.Kind))
	}
	if q.Field = get("field"); q.Field != "" && !taxonomy.IsField(q.Field) {
		bad(fielderr.NewUnknownCode("field", "field").Because("%q is not a field code of the OECD Fields of Science (e.g. \"1.2\")", q.Field))
	}
	if q.DegreeLevel = get("degreeLevel"); q.DegreeLevel != "" && !taxonomy.DegreeLevels.Valid(q.DegreeLevel) {
		bad(fielderr.NewOneOf("degreeLevel", taxonomy.DegreeLevels.Codes()).Because("must be one of %s, not %q", taxonomy.DegreeLevels, q.DegreeLevel))
	}
	terms := strings.Fields(strings.ToLower(get("q")))
	switch {
	case len(terms) > maxTerms:
		bad(fielderr.NewTooMany("q", maxTerms).Because("may hold at most %d words", maxTerms))
	default:
		for _, t := range terms {
			if len(t) > maxTermLen {
				bad(fielderr.NewTooLong("q", maxTermLen).Because("words may be at most %d bytes long", maxTermLen))
				break
			}
		}
		q.Terms = terms
	}
	pg, pfe := web.ParsePaging(get("page"), get("pageSize"))
	q.Page, q.PageSize = pg.Page, pg.Size
	fe = append(fe, pfe...)
	if len(fe) > 0 {
		return app.Query{}, web.Invalid(fe...)
	}
	return q, nil
}

// importCSV handles POST /profiles/import: a CSV file as the body
// (Content-Type text/csv), at most the server's body limit (1 MiB by
// default). The file's SHA-256 is its batch id: sending the same file again
// finishes an interrupted import, or does nothing if it was complete.
func (h *Handlers) importCSV(c echo.Context) error {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != "text/csv" && mt != "application/csv" && mt != "text/plain") {
		return &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "send the file as text/csv"}
	}
	// The file is read once, as a stream: parsed row by row while its
	// hash (the batch id) is taken.
	h256 := sha256.New()
	src := &web.ReadRecorder{R: io.TeeReader(req.Body, h256)}
	rows, problems, err := csvimport.Parse(src, time.Now())
	var mbe *http.MaxBytesError
	if errors.As(src.Err, &mbe) {
		return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Detail: fmt.Sprintf("the file may be at most %d bytes; split it", mbe.Limit)}
	}
	if err != nil {
		return web.BadRequest("unreadable_body", "the file could not be read")
	}
	if len(problems) == 0 {
		// Parse stops at the end of the rows; count any trailing bytes too.
		_, _ = io.Copy(h256, req.Body)
	}
	batch := hex.EncodeToString(h256.Sum(nil)[:16])
	res, err := h.App.Import(req.Context(), claims(c).UserID(), batch, rows, problems)
	var ie *domain.ImportError
	if errors.As(err, &ie) {
		return importRefused(c, ie)
	}
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.AlreadyImported {
		status = http.StatusOK
	}
	return private(c, status, res)
}

func importRefused(c echo.Context, ie *domain.ImportError) error {
	p := api.ImportProblem{
		Type:     "https://talentbridge.example/problems/import_rejected",
		Title:    http.StatusText(http.StatusUnprocessableEntity),
		Status:   http.StatusUnprocessableEntity,
		Code:     "import_rejected",
		Detail:   fmt.Sprintf("%d rows have problems; nothing was imported. Fix them and send the whole file again.", len(ie.Lines())),
		Instance: c.Request().URL.Path,
		Errors:   api.RowErrors(ie.Problems),
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusUnprocessableEntity, "application/problem+json", b)
}

// bindProfile decodes a profile body strictly.
func bindProfile(c echo.Context) (domain.Draft, error) {
	var r apiprofiles.ProfileRequest
	if err := web.Bind(c, &r); err != nil {
		return domain.Draft{}, err
	}
	return draftOf(r), nil
}

func claims(c echo.Context) *auth.Claims {
	cl, _ := auth.FromContext(c)
	return cl
}

// private writes personal data: never cached by browsers or proxies.
func private(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}

// Problems is the service's one web.Mapper: the domain's errors with their
// HTTP meaning, or nil for the platform's error handler to decide. Handlers
// return domain errors as they are.
func Problems(err error) *web.Error {
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		return web.Invalid(ve.Problems...)
	case errors.Is(err, domain.ErrProfileNotFound):
		return web.NotFound("profile")
	case errors.Is(err, domain.ErrDraftNotFound):
		return web.NotFound("draft")
	case errors.Is(err, domain.ErrAlreadyExists):
		return web.Conflict("profile_exists", "you already have a profile; change it with PUT /api/v1/profiles/me")
	case errors.Is(err, domain.ErrErasureInProgress):
		return &web.Error{Status: http.StatusConflict, Code: "erasure_in_progress",
			Detail: "your previous profile is still being erased; try again in a few seconds",
			Header: http.Header{"Retry-After": []string{"2"}}}
	case errors.Is(err, domain.ErrConflict):
		return web.Conflict("concurrent_change", "the profile changed while it was being saved; try again")
	}
	return nil
}
