package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/api"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/auth"
)

// The pages of e-mail verification, forgotten and changed passwords, and
// the admin's list of accounts. Unverified addresses may do everything
// their role allows; the account page reminds them and offers a new link.

// accountRoutes are the routes of these pages for signed-in users, for
// Table (the public ones are listed there with sign-in).
func (u *UI) accountRoutes(r func(m, p string, pol auth.Policy, h echo.HandlerFunc) auth.Route) []auth.Route {
	get, post := http.MethodGet, http.MethodPost
	return []auth.Route{
		r(post, "/account/verify-email", auth.SignedIn, u.resendVerification),
		r(get, "/account/password", auth.SignedIn, u.changeForm),
		r(post, "/account/password", auth.SignedIn, u.change),
		r(post, "/admin/users/:id/disable", auth.Admins, u.adminUserAction("disable")),
		r(post, "/admin/users/:id/enable", auth.Admins, u.adminUserAction("enable")),
		r(post, "/admin/users/:id/password-reset", auth.Admins, u.adminUserAction("password-reset")),
	}
}

// TokenData is the page of an e-mailed link: its token, and whether it
// turned out unusable (Invalid) or was used (Done).
type TokenData struct {
	Token   string
	Invalid bool
	Done    bool
}

// verifyEmailPage confirms the address at once for a visitor who is signed
// in (the person who signed up, in their own browser), so the link costs
// them no form. Anyone else — a mail scanner opening links has no session —
// is asked for a click before the token is used, so scanners cannot use it
// up. (The token only ever confirms the address it was mailed to.)
func (u *UI) verifyEmailPage(c echo.Context) error {
	token := c.QueryParam("token")
	if _, signedIn := auth.FromContext(c); signedIn && token != "" {
		return u.useVerifyToken(c, token)
	}
	p := u.page(c, "verify.title")
	p.Form = newForm(nil)
	p.Data = TokenData{Token: token, Invalid: token == ""}
	return u.render(c, http.StatusOK, "verify_email", p)
}

func (u *UI) verifyEmail(c echo.Context) error {
	return u.useVerifyToken(c, c.FormValue("token"))
}

func (u *UI) useVerifyToken(c echo.Context, token string) error {
	err := u.call(c, http.MethodPost, "/auth/email/verify", apiidentity.VerifyEmailRequest{Token: token}, nil)
	p := u.page(c, "verify.title")
	p.Form = newForm(nil)
	switch {
	case err == nil:
		p.Data = TokenData{Done: true}
		return u.render(c, http.StatusOK, "verify_email", p)
	case statusOf(err) == http.StatusBadRequest:
		p.Data = TokenData{Invalid: true}
		return u.render(c, http.StatusUnprocessableEntity, "verify_email", p)
	}
	return err
}

func (u *UI) resendVerification(c echo.Context) error {
	err := u.call(c, http.MethodPost, "/auth/email/resend", nil, nil)
	switch statusOf(err) {
	case 0:
		if err != nil {
			return err
		}
		return seeOther(c, "/account?done=verification_sent")
	case http.StatusConflict:
		return seeOther(c, "/account?done=email_verified")
	case http.StatusTooManyRequests:
		return seeOther(c, "/account?done=mail_throttled")
	case http.StatusServiceUnavailable:
		return seeOther(c, "/account?done=mail_off")
	}
	return err
}

// ForgotData is the page that asks for a reset link; Sent once asked.
type ForgotData struct {
	Sent bool
}

func (u *UI) forgotForm(c echo.Context) error {
	p := u.page(c, "forgot.title")
	p.Form = newForm(nil)
	p.Data = ForgotData{}
	return u.render(c, http.StatusOK, "forgot_password", p)
}

// forgot says the same for every address: if it has an account, a link is
// on its way.
func (u *UI) forgot(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(v)
	p := u.page(c, "forgot.title")
	p.Form = f
	email := strings.TrimSpace(v.Get("email"))
	if email == "" {
		f.add("email", "login.email", "problem.required", "")
	} else {
		err = u.call(c, http.MethodPost, "/auth/password/forgot", apiidentity.ForgotPasswordRequest{Email: email}, nil)
		switch {
		case err == nil:
			p.Data = ForgotData{Sent: true}
			return u.render(c, http.StatusOK, "forgot_password", p)
		case f.fromProblem(err, simpleFields(map[string]string{"email": "login.email"})):
		case statusOf(err) == http.StatusTooManyRequests:
			f.add("", "field.other", "problem.rate_limited", "")
		default:
			return err
		}
	}
	p.Data = ForgotData{}
	return u.render(c, http.StatusUnprocessableEntity, "forgot_password", p)
}

func (u *UI) resetForm(c echo.Context) error {
	p := u.page(c, "reset.title")
	p.Form = newForm(nil)
	token := c.QueryParam("token")
	p.Data = TokenData{Token: token, Invalid: token == ""}
	return u.render(c, http.StatusOK, "reset_password", p)
}

func (u *UI) reset(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(url.Values{})
	token := v.Get("token")
	p := u.page(c, "reset.title")
	p.Form = f
	pw := v.Get("password")
	if pw == "" {
		f.add("password", "reset.password", "problem.required", "")
	} else {
		err = u.call(c, http.MethodPost, "/auth/password/reset", apiidentity.ResetPasswordRequest{Token: token, Password: pw}, nil)
		var ae *APIError
		switch {
		case err == nil:
			return seeOther(c, "/login?done=password_reset")
		case f.fromProblem(err, simpleFields(map[string]string{"password": "reset.password"})):
		case errors.As(err, &ae) && ae.Problem.Code == "invalid_token":
			p.Data = TokenData{Invalid: true}
			return u.render(c, http.StatusUnprocessableEntity, "reset_password", p)
		default:
			return err
		}
	}
	p.Data = TokenData{Token: token}
	return u.render(c, http.StatusUnprocessableEntity, "reset_password", p)
}

func (u *UI) changeForm(c echo.Context) error {
	p := u.page(c, "change.title")
	p.Form = newForm(nil)
	return u.render(c, http.StatusOK, "change_password", p)
}

func (u *UI) change(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	f := newForm(url.Values{})
	req := apiidentity.ChangePasswordRequest{CurrentPassword: v.Get("currentPassword"), NewPassword: v.Get("newPassword")}
	err = u.call(c, http.MethodPost, "/auth/password/change", req, nil)
	labels := map[string]string{"currentPassword": "change.current", "newPassword": "change.new"}
	switch {
	case err == nil:
		return seeOther(c, "/account?done=password_changed")
	case f.fromProblem(err, simpleFields(labels)):
		// A wrong current password gets its own words.
		for i, fp := range f.Summary {
			if fp.Name == "currentPassword" && fp.Key == "problem.invalid" {
				f.Summary[i].Key = "problem.current_password"
				f.Errors["currentPassword"][0].Key = "problem.current_password"
			}
		}
	case statusOf(err) == http.StatusTooManyRequests:
		f.add("", "field.other", "problem.rate_limited", "")
	default:
		return err
	}
	p := u.page(c, "change.title")
	p.Form = f
	return u.render(c, http.StatusUnprocessableEntity, "change_password", p)
}

// UsersData is the administrator's page: a page of accounts with the
// filters applied, and the coordinators (for the form that adds one).
type UsersData struct {
	Coordinators []apiidentity.UserResponse
	Users        []apiidentity.UserResponse
	Role, Status string
	Page, Pages  int
	Prev, Next   string
	Total        int64
}

// userRoles and userStatuses are the filters of the admin's list.
var (
	userRoles    = []string{"applicant", "host", "coordinator", "admin"}
	userStatuses = []string{"active", "pending", "disabled"}
)

func (u *UI) renderUsers(c echo.Context, status int, f *Form) error {
	var coords api.Page[apiidentity.UserResponse]
	if err := u.call(c, http.MethodGet, "/auth/users?role=coordinator&pageSize=100", nil, &coords); err != nil {
		return err
	}
	d := UsersData{Coordinators: coords.Items, Page: 1}
	q := url.Values{"pageSize": {"25"}}
	if r := c.QueryParam("role"); contains(userRoles, r) {
		d.Role = r
		q.Set("role", r)
	}
	if s := c.QueryParam("status"); contains(userStatuses, s) {
		d.Status = s
		q.Set("status", s)
	}
	if n, err := strconv.Atoi(c.QueryParam("page")); err == nil && n > 1 {
		d.Page = n
		q.Set("page", strconv.Itoa(n))
	}
	var list api.Page[apiidentity.UserResponse]
	if err := u.call(c, http.MethodGet, "/auth/users?"+q.Encode(), nil, &list); err != nil {
		return err
	}
	d.Users, d.Total = list.Items, list.Total
	d.Pages = int((list.Total + 24) / 25)
	link := func(page int) string {
		l := url.Values{}
		if d.Role != "" {
			l.Set("role", d.Role)
		}
		if d.Status != "" {
			l.Set("status", d.Status)
		}
		l.Set("page", strconv.Itoa(page))
		return "/admin/users?" + l.Encode()
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.Next = link(d.Page + 1)
	}
	p := u.page(c, "users.title")
	p.Form = f
	p.Data = d
	return u.render(c, status, "admin_users", p)
}

// adminUserAction disables, enables or mails a reset link to an account.
func (u *UI) adminUserAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		var body any
		if action == "disable" {
			body = apiidentity.DisableUserRequest{Reason: strings.TrimSpace(c.FormValue("reason"))}
		}
		err := u.call(c, http.MethodPost, "/auth/users/"+url.PathEscape(id)+"/"+action, body, nil)
		switch statusOf(err) {
		case 0:
			if err != nil {
				return err
			}
			return seeOther(c, "/admin/users?done=user_"+strings.ReplaceAll(action, "-", "_"))
		case http.StatusConflict:
			return seeOther(c, "/admin/users?done=user_self")
		case http.StatusServiceUnavailable:
			return seeOther(c, "/admin/users?done=mail_off")
		}
		return err
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
