package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/api"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// accepted is the one answer of a reset request, whatever the address.
var accepted = apiidentity.AcceptedResponse{Status: "accepted"}

// linkRoutes are the routes of e-mail verification, passwords and the
// admin's account management.
func (h *Handlers) linkRoutes() []auth.Route {
	ok, acc, none := http.StatusOK, http.StatusAccepted, http.StatusNoContent
	return []auth.Route{
		{Method: http.MethodPost, Path: "/auth/email/verify", Policy: auth.Anyone, Handler: h.VerifyEmail,
			Doc: &auth.Doc{Summary: "Confirm the e-mail address with the token of the link mailed at signup (works once)",
				Request: apiidentity.VerifyEmailRequest{}, Status: ok, Response: apiidentity.UserResponse{}, Errors: []int{400, 415}}},
		{Method: http.MethodPost, Path: "/auth/email/resend", Policy: auth.SignedIn, Handler: h.ResendVerification,
			Doc: &auth.Doc{Summary: "Mail the caller a new verification link (a few an hour)", Status: acc,
				Response: apiidentity.AcceptedResponse{}, Errors: []int{409, 429}}},
		{Method: http.MethodPost, Path: "/auth/password/forgot", Policy: auth.Anyone, Handler: h.ForgotPassword,
			Doc: &auth.Doc{Summary: "Ask for a password reset link; the same answer for every address, mailed only to accounts",
				Request: apiidentity.ForgotPasswordRequest{}, Status: acc, Response: apiidentity.AcceptedResponse{}, Errors: []int{415, 429}}},
		{Method: http.MethodPost, Path: "/auth/password/reset", Policy: auth.Anyone, Handler: h.ResetPassword,
			Doc: &auth.Doc{Summary: "Set a new password with a reset token (works once, within an hour); every session ends",
				Request: apiidentity.ResetPasswordRequest{}, Status: none, Errors: []int{400, 415}}},
		{Method: http.MethodPost, Path: "/auth/password/change", Policy: auth.SignedIn, Handler: h.ChangePassword,
			Doc: &auth.Doc{Summary: "Change the caller's password; the caller's other sessions end",
				Request: apiidentity.ChangePasswordRequest{}, Status: none, Errors: []int{415, 429}}},
		{Method: http.MethodPost, Path: "/auth/users/:id/disable", Policy: auth.Admins, Handler: h.DisableUser,
			Doc: &auth.Doc{Summary: "Disable an account: it cannot sign in and its sessions end",
				Request: apiidentity.DisableUserRequest{}, RequestOptional: true, Response: apiidentity.UserResponse{}, Errors: []int{404, 409, 415}}},
		{Method: http.MethodPost, Path: "/auth/users/:id/enable", Policy: auth.Admins, Handler: h.EnableUser,
			Doc: &auth.Doc{Summary: "Let a disabled account sign in again", Response: apiidentity.UserResponse{}, Errors: []int{404}}},
		{Method: http.MethodPost, Path: "/auth/users/:id/password-reset", Policy: auth.Admins, Handler: h.SendReset,
			Doc: &auth.Doc{Summary: "Mail an account a password reset link (no password is shown or set)", Status: acc,
				Response: apiidentity.AcceptedResponse{}, Errors: []int{404}}},
		{Method: http.MethodGet, Path: "/auth/audit", Policy: auth.Admins, Handler: h.AuditLog,
			Doc: &auth.Doc{Summary: "Admin actions on accounts, newest first (?user= narrows to one account)",
				Response: api.Page[apiidentity.AuditEntry]{}, Errors: []int{400}}},
	}
}

// VerifyEmail confirms an address with a mailed token.
func (h *Handlers) VerifyEmail(c echo.Context) error {
	var req apiidentity.VerifyEmailRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Token == "" {
		return web.Invalid(fielderr.NewRequired("token"))
	}
	u, err := h.accounts.VerifyEmail(c.Request().Context(), req.Token)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userResponse(u))
}

// ResendVerification mails the caller a new verification link.
func (h *Handlers) ResendVerification(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	if err := h.accounts.ResendVerification(c.Request().Context(), cl.UserID()); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, accepted)
}

// ForgotPassword answers 202 with the same body for any well-formed
// address.
func (h *Handlers) ForgotPassword(c echo.Context) error {
	var req apiidentity.ForgotPasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if fields := required(nil, "email", req.Email); len(fields) > 0 {
		return web.Invalid(fields...)
	}
	if err := h.accounts.ForgotPassword(c.Request().Context(), req.Email, c.RealIP()); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusAccepted, accepted)
}

// ResetPassword sets a new password with a mailed token.
func (h *Handlers) ResetPassword(c echo.Context) error {
	var req apiidentity.ResetPasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fields []web.FieldError
	fields = required(fields, "token", req.Token)
	if req.Password == "" {
		fields = append(fields, fielderr.NewRequired("password"))
	}
	if len(fields) > 0 {
		return web.Invalid(fields...)
	}
	if err := h.accounts.ResetPassword(c.Request().Context(), req.Token, req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// ChangePassword changes the caller's password.
func (h *Handlers) ChangePassword(c echo.Context) error {
	var req apiidentity.ChangePasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fields []web.FieldError
	if req.CurrentPassword == "" {
		fields = append(fields, fielderr.NewRequired("currentPassword"))
	}
	if req.NewPassword == "" {
		fields = append(fields, fielderr.NewRequired("newPassword"))
	}
	if len(fields) > 0 {
		return web.Invalid(fields...)
	}
	cl, _ := auth.FromContext(c)
	err := h.accounts.ChangePassword(c.Request().Context(), cl.UserID(), cl.Session, req.CurrentPassword, req.NewPassword)
	if err != nil {
		return renameField(err, "password", "newPassword")
	}
	return c.NoContent(http.StatusNoContent)
}

// DisableUser is an admin disabling an account.
func (h *Handlers) DisableUser(c echo.Context) error {
	var req apiidentity.DisableUserRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	if len([]rune(req.Reason)) > 500 {
		return web.Invalid(fielderr.NewTooLong("reason", 500))
	}
	cl, _ := auth.FromContext(c)
	u, err := h.accounts.DisableUser(c.Request().Context(), cl.UserID(), c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userResponse(u))
}

// EnableUser is an admin enabling a disabled account.
func (h *Handlers) EnableUser(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	u, err := h.accounts.EnableUser(c.Request().Context(), cl.UserID(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userResponse(u))
}

// SendReset is an admin mailing an account a reset link.
func (h *Handlers) SendReset(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	if err := h.accounts.SendReset(c.Request().Context(), cl.UserID(), c.Param("id")); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, accepted)
}

// AuditLog lists the admin actions on accounts.
func (h *Handlers) AuditLog(c echo.Context) error {
	q := c.QueryParams()
	pg, fields := web.ParsePaging(q.Get("page"), q.Get("pageSize"))
	if len(fields) > 0 {
		return web.Invalid(fields...)
	}
	entries, total, err := h.accounts.Audit(c.Request().Context(), q.Get("user"), pg.Page, pg.Size)
	if err != nil {
		return err
	}
	out := api.Page[apiidentity.AuditEntry]{Items: make([]apiidentity.AuditEntry, len(entries)), Page: pg.Page, PageSize: pg.Size, Total: total}
	for i, e := range entries {
		out.Items[i] = apiidentity.AuditEntry{ID: e.ID, Actor: e.Actor, Target: e.Target, Action: e.Action, Reason: e.Reason, At: e.At}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

// decodeJSON checks the media type and reads the body strictly.
func decodeJSON(c echo.Context, v any) error {
	if err := checkJSON(c); err != nil {
		return err
	}
	return web.Decode(c.Request().Body, v)
}

// renameField reports the domain's field errors about from under to (the
// password rules name "password"; a change calls it "newPassword").
func renameField(err error, from, to string) error {
	p := Problems(err)
	if p == nil || len(p.Fields) == 0 {
		return err
	}
	for i := range p.Fields {
		if p.Fields[i].Field == from {
			p.Fields[i].Field = to
		}
	}
	return p
}
