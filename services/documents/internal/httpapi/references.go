package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/web"
)

// ReferenceView is a request as its applicant sees it: the letter's id
// only once received and only when not waived.
func ReferenceView(r *domain.Reference, now time.Time) apidocs.Reference {
	v := apidocs.Reference{ID: r.ID, RefereeName: r.RefereeName, RefereeEmail: r.RefereeEmail, Relation: r.Relation,
		Waived: r.Waived, Language: r.Language, Status: r.Status(now), RequestedAt: r.RequestedAt, ExpiresAt: r.ExpiresAt}
	if !r.ReceivedAt.IsZero() {
		at := r.ReceivedAt
		v.ReceivedAt = &at
		if !r.Waived {
			v.DocumentID = r.DocumentID
		}
	}
	return v
}

// DecodeReferenceRequest reads the body of POST /references strictly.
func DecodeReferenceRequest(c echo.Context) (apidocs.ReferenceRequest, error) {
	var req apidocs.ReferenceRequest
	err := web.Bind(c, &req)
	return req, err
}

func (h *Handlers) request(c echo.Context) error {
	req, err := DecodeReferenceRequest(c)
	if err != nil {
		return err
	}
	r, token, emailed, err := h.App.RequestReference(c.Request().Context(), claims(c).UserID(), req)
	if err != nil {
		return err
	}
	return private(c, http.StatusCreated, apidocs.ReferenceCreated{Reference: ReferenceView(r, h.App.Clock()),
		UploadLink: apidocs.UploadLinkPath(token), Emailed: emailed})
}

func (h *Handlers) references(c echo.Context) error {
	refs, err := h.App.References(c.Request().Context(), claims(c).UserID())
	if err != nil {
		return err
	}
	now := h.App.Clock()
	out := apidocs.References{Items: make([]apidocs.Reference, len(refs))}
	for i, r := range refs {
		out.Items[i] = ReferenceView(r, now)
	}
	return private(c, http.StatusOK, out)
}

func invitation(r *domain.Reference, now time.Time) apidocs.UploadInvitation {
	return apidocs.UploadInvitation{RefereeName: r.RefereeName, Relation: r.Relation, Language: r.Language,
		Status: r.Status(now), ExpiresAt: r.ExpiresAt}
}

// invitation answers what a link is for, whatever its state; an unknown
// token is 404.
func (h *Handlers) invitation(c echo.Context) error {
	r, err := h.App.Invitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, invitation(r, h.App.Clock()))
}

// refereeUpload takes the letter. The link is checked, and the size
// refused from Content-Length, before the body is read.
func (h *Handlers) refereeUpload(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := h.App.Invitation(ctx, c.Param("token"))
	if err != nil {
		return err
	}
	if err := r.Usable(h.App.Clock()); err != nil {
		return err
	}
	if err := tooLargeUpFront(c.Request()); err != nil {
		return err
	}
	form, err := openForm(c.Request(), false)
	if err != nil {
		return err
	}
	r, err = h.App.ReceiveLetter(ctx, c.Param("token"), form.file)
	if err != nil {
		return err
	}
	return private(c, http.StatusCreated, invitation(r, h.App.Clock()))
}
