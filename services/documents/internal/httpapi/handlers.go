package httpapi

import (
	"errors"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/web"
)

func claims(c echo.Context) *auth.Claims {
	cl, _ := auth.FromContext(c)
	return cl
}

func reader(c echo.Context) domain.Reader {
	cl := claims(c)
	return domain.Reader{ID: cl.UserID(), Coordinator: cl.HasRole(auth.RoleCoordinator, auth.RoleAdmin)}
}

// private writes personal data: never cached by browsers or proxies.
func private(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}

// View maps a document to its public shape.
func View(d *domain.Document) apidocs.Document {
	return apidocs.Document{ID: d.ID, Kind: d.Kind, Title: d.Title, ContentType: d.ContentType, Size: d.Size,
		SHA256: d.SHA256, UploadedAt: d.UploadedAt, ReferenceID: d.ReferenceID}
}

// upload handles POST /documents. The size is refused from Content-Length
// and the count from the store before a byte of the body is read; the type
// from the file's first bytes before anything is stored.
func (h *Handlers) upload(c echo.Context) error {
	if err := tooLargeUpFront(c.Request()); err != nil {
		return err
	}
	owner := claims(c).UserID()
	ctx := c.Request().Context()
	if err := h.App.CheckRoom(ctx, owner); err != nil {
		return err
	}
	form, err := openForm(c.Request(), true)
	if err != nil {
		return err
	}
	d, err := h.App.Upload(ctx, owner, domain.Upload{Kind: form.kind, Title: form.title}, form.file)
	if err != nil {
		return err
	}
	return private(c, http.StatusCreated, View(d))
}

func (h *Handlers) mine(c echo.Context) error {
	docs, err := h.App.Mine(c.Request().Context(), claims(c).UserID())
	if err != nil {
		return err
	}
	out := apidocs.Documents{Items: make([]apidocs.Document, len(docs)), Limit: apidocs.MaxPerApplicant}
	for i, d := range docs {
		out.Items[i] = View(d)
	}
	return private(c, http.StatusOK, out)
}

func (h *Handlers) read(c echo.Context) error {
	d, err := h.App.Read(c.Request().Context(), reader(c), c.Param("id"))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, View(d))
}

// content streams the bytes with the type sniffed at upload, as an
// attachment that browsers never render in place.
func (h *Handlers) content(c echo.Context) error {
	d, rc, err := h.App.Content(c.Request().Context(), reader(c), c.Param("id"))
	if err != nil {
		return err
	}
	defer rc.Close()
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": FileName(d)}))
	hd.Set(echo.HeaderXContentTypeOptions, "nosniff")
	hd.Set("Cache-Control", "no-store")
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(d.Size, 10))
	return c.Stream(http.StatusOK, d.ContentType, rc)
}

// FileName is a download's name: the title, made safe, with the extension
// of the sniffed type.
func FileName(d *domain.Document) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(d.Title))
	if name == "" {
		name = d.Kind
	}
	ext := map[string]string{domain.TypePDF: ".pdf", domain.TypePNG: ".png", domain.TypeJPEG: ".jpg"}[d.ContentType]
	if !strings.EqualFold(path.Ext(name), ext) {
		name += ext
	}
	return name
}

func (h *Handlers) delete(c echo.Context) error {
	if err := h.App.Delete(c.Request().Context(), claims(c).UserID(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Problems is the service's one web.Mapper.
func Problems(err error) *web.Error {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return web.Invalid(ve.Fields...)
	}
	var fe *domain.FileError
	if errors.As(err, &fe) {
		return &web.Error{Status: fe.Status, Code: fe.Code, Detail: fe.Detail,
			Fields: []web.FieldError{fe.Field(apidocs.FieldFile)}}
	}
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return web.NotFound("document")
	case errors.Is(err, domain.ErrWaived):
		return web.Forbidden("letter_waived", "you waived the right to read this letter; hosts and coordinators may read it")
	case errors.Is(err, domain.ErrLimitReached):
		return web.Conflict("document_limit_reached",
			"an applicant may keep at most "+strconv.Itoa(apidocs.MaxPerApplicant)+" documents; delete one first")
	case errors.Is(err, domain.ErrTooManyReferences):
		return web.Conflict("reference_limit_reached",
			"an applicant may ask for at most "+strconv.Itoa(domain.MaxReferences)+" letters")
	case errors.Is(err, domain.ErrLinkUsed):
		return &web.Error{Status: http.StatusGone, Code: "link_used", Detail: "this upload link was already used; a letter was received"}
	case errors.Is(err, domain.ErrOwnerErased):
		return &web.Error{Status: http.StatusGone, Code: "account_erased", Detail: "the account this file was for has been erased; nothing was stored"}
	case errors.Is(err, domain.ErrLinkExpired):
		return &web.Error{Status: http.StatusGone, Code: "link_expired", Detail: "this upload link has expired; ask the applicant for a new one"}
	}
	return nil
}

var _ web.Mapper = Problems
