package httpapi

import (
	"bytes"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/talentbridge/platform/shared/api"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/fielderr"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/session"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Handlers serve the identity routes.
type Handlers struct {
	accounts *app.Accounts
	sessions *session.Manager
	jwks     func() auth.JWKS
	now      func() time.Time
}

// NewHandlers returns the handlers. jwks gives the published keys.
func NewHandlers(accounts *app.Accounts, sessions *session.Manager, jwks func() auth.JWKS, now func() time.Time) *Handlers {
	if now == nil {
		now = time.Now
	}
	return &Handlers{accounts: accounts, sessions: sessions, jwks: jwks, now: now}
}

// Routes registers the identity API on api (the /api/v1 group) and the
// JWKS on root (the site root), every route through its access table.
func (h *Handlers) Routes(root, v1 *echo.Group, v *auth.Verifier) {
	auth.Register(root, v, []auth.Route{
		{Method: http.MethodGet, Path: "/.well-known/jwks.json", Policy: auth.Anyone, Handler: h.JWKS,
			Doc: &auth.Doc{Summary: "The public keys that verify access tokens", Response: auth.JWKS{}}},
	})
	created := http.StatusCreated
	auth.Register(v1, v, []auth.Route{
		{Method: http.MethodPost, Path: "/auth/signup", Policy: auth.Anyone, Handler: h.Signup,
			Doc: &auth.Doc{Summary: "Sign up as an applicant or a host", Request: apiidentity.SignupRequest{},
				Status: created, Response: apiidentity.UserResponse{}, Errors: []int{409, 415, 429}}},
		{Method: http.MethodPost, Path: "/auth/login", Policy: auth.Anyone, Handler: h.Login,
			Doc: &auth.Doc{Summary: "Sign in", Request: apiidentity.LoginRequest{}, Response: apiidentity.TokenResponse{}, Errors: []int{401, 403, 415, 429}}},
		{Method: http.MethodPost, Path: "/auth/refresh", Policy: auth.Anyone, Handler: h.Refresh,
			Doc: &auth.Doc{Summary: "Trade a refresh token for a new pair", Request: apiidentity.RefreshRequest{},
				Response: apiidentity.TokenResponse{}, Errors: []int{401, 403, 415}}},
		{Method: http.MethodPost, Path: "/auth/logout", Policy: auth.Anyone, Handler: h.Logout,
			Doc: &auth.Doc{Summary: "End the session", Request: apiidentity.RefreshRequest{}, RequestOptional: true,
				Status: http.StatusNoContent, Errors: []int{413, 415}}},
		{Method: http.MethodGet, Path: "/auth/me", Policy: auth.SignedIn, Handler: h.Me,
			Doc: &auth.Doc{Summary: "The caller's account", Response: apiidentity.UserResponse{}, Errors: []int{404}}},
		{Method: http.MethodDelete, Path: "/auth/me", Policy: auth.SignedIn, Handler: h.DeleteMe,
			Doc: &auth.Doc{Summary: "Erase the caller's account and profile", Status: http.StatusNoContent, Errors: []int{404}}},
		{Method: http.MethodPost, Path: "/auth/users", Policy: auth.Admins, Handler: h.CreateUser,
			Doc: &auth.Doc{Summary: "Create a coordinator", Request: apiidentity.CreateUserRequest{},
				Status: created, Response: apiidentity.UserResponse{}, Errors: []int{409, 415}}},
		{Method: http.MethodGet, Path: "/auth/users", Policy: auth.Coordinators, Handler: h.ListUsers,
			Doc: &auth.Doc{Summary: "List accounts", Response: api.Page[apiidentity.UserResponse]{}, Errors: []int{400}}},
		{Method: http.MethodGet, Path: "/auth/users/:id", Policy: auth.Coordinators, Handler: h.GetUser,
			Doc: &auth.Doc{Summary: "One account, e.g. to name the actor of an audit entry", Response: apiidentity.UserResponse{}}},
		{Method: http.MethodPost, Path: "/auth/users/:id/verify", Policy: auth.Coordinators, Handler: h.VerifyHost,
			Doc: &auth.Doc{Summary: "Verify a host", Response: apiidentity.UserResponse{}, Errors: []int{409, 422}}},
		{Method: http.MethodPost, Path: "/auth/users/:id/decline", Policy: auth.Coordinators, Handler: h.DeclineHost,
			Doc: &auth.Doc{Summary: "Decline to verify a pending host, with a reason the host is told (in-app and by e-mail)",
				Request: apiidentity.DeclineHostRequest{}, Response: apiidentity.UserResponse{}, Errors: []int{400, 409, 415, 422}}},
	})
	auth.Register(v1, v, h.linkRoutes())
}

// JWKS serves the public keys that verify access tokens.
func (h *Handlers) JWKS(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	return c.JSON(http.StatusOK, h.jwks())
}

// Signup creates an applicant or (pending) host account.
func (h *Handlers) Signup(c echo.Context) error {
	if err := checkJSON(c); err != nil {
		return err
	}
	in, err := DecodeSignup(c.Request().Body)
	if err != nil {
		return err
	}
	in.ClientIP = c.RealIP()
	u, err := h.accounts.Signup(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, platform.APIPrefix+"/auth/me")
	return c.JSON(http.StatusCreated, userResponse(u))
}

// Login exchanges an address and password for a token pair.
func (h *Handlers) Login(c echo.Context) error {
	if err := checkJSON(c); err != nil {
		return err
	}
	req, err := DecodeLogin(c.Request().Body)
	if err != nil {
		return err
	}
	t, err := h.accounts.Login(c.Request().Context(), req.Email, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	return h.tokens(c, t)
}

// Refresh exchanges a refresh token for a new pair.
func (h *Handlers) Refresh(c echo.Context) error {
	if err := checkJSON(c); err != nil {
		return err
	}
	var req apiidentity.RefreshRequest
	if err := web.Decode(c.Request().Body, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return web.Invalid(fielderr.NewRequired("refreshToken"))
	}
	t, err := h.accounts.Refresh(c.Request().Context(), req.RefreshToken)
	if err != nil {
		return err
	}
	return h.tokens(c, t)
}

func (h *Handlers) tokens(c echo.Context, t *app.Tokens) error {
	now := h.now()
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, apiidentity.TokenResponse{
		AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: "Bearer",
		ExpiresIn:        seconds(t.AccessExpiresAt.Sub(now)),
		RefreshExpiresIn: seconds(t.RefreshExpiresAt.Sub(now)),
	})
}

func seconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 0)
}

// Logout ends a session: the one of the refresh token in the body, or of
// the refresh cookie, and the one the access token belongs to. The answer
// is 204 whether or not there was a session to end.
func (h *Handlers) Logout(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &web.Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Detail: "the request body is too large"}
		}
		return web.BadRequest("unreadable_body", "the request body could not be read")
	}
	var req apiidentity.RefreshRequest
	if len(bytes.TrimSpace(body)) > 0 {
		if err := checkJSON(c); err != nil {
			return err
		}
		if err := web.Decode(bytes.NewReader(body), &req); err != nil {
			return err
		}
	}
	refresh := req.RefreshToken
	if refresh == "" && auth.CSRFValid(c.Request()) {
		// The browser's refresh cookie, only with the CSRF token: a form
		// on another site cannot sign a user out.
		if ck, err := c.Request().Cookie(auth.RefreshCookie); err == nil {
			refresh = ck.Value
		}
	}
	var userID, sid string
	if cl, ok := auth.FromContext(c); ok {
		userID, sid = cl.UserID(), cl.Session
	}
	if err := h.accounts.Logout(c.Request().Context(), refresh, userID, sid); err != nil {
		return err
	}
	if refresh != "" || sid != "" {
		h.sessions.Clear(c)
	}
	return c.NoContent(http.StatusNoContent)
}

// Me returns the caller's account.
func (h *Handlers) Me(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	u, err := h.accounts.Me(c.Request().Context(), cl.UserID())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, userResponse(u))
}

// DeleteMe erases the caller's account; every service erases its data on
// the user.deleted event.
func (h *Handlers) DeleteMe(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	if err := h.accounts.DeleteMe(c.Request().Context(), cl.UserID()); err != nil {
		return err
	}
	h.sessions.Clear(c)
	return c.NoContent(http.StatusNoContent)
}

// CreateUser is an admin creating a coordinator account.
func (h *Handlers) CreateUser(c echo.Context) error {
	if err := checkJSON(c); err != nil {
		return err
	}
	var req apiidentity.CreateUserRequest
	if err := web.Decode(c.Request().Body, &req); err != nil {
		return err
	}
	cl, _ := auth.FromContext(c)
	u, err := h.accounts.CreateCoordinator(c.Request().Context(), cl.UserID(), app.SignupInput{
		Email: req.Email, Password: req.Password, Name: req.Name, Organization: req.Organization,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, userResponse(u))
}

// ListUsers lists accounts for coordinators, e.g. ?status=pending for the
// hosts waiting to be verified.
func (h *Handlers) ListUsers(c echo.Context) error {
	f := app.UserFilter{Page: 1, PageSize: 20}
	var fields []web.FieldError
	q := c.QueryParams()
	if s := q.Get("status"); s != "" {
		if !domain.Status(s).Valid() {
			fields = append(fields, fielderr.NewOneOf("status", []string{"active", "pending", "disabled", "declined"}))
		}
		f.Status = domain.Status(s)
	}
	if r := q.Get("role"); r != "" {
		if !domain.Role(r).Valid() {
			fields = append(fields, fielderr.NewOneOf("role", []string{"applicant", "host", "coordinator", "admin"}))
		}
		f.Role = domain.Role(r)
	}
	pg, pfields := web.ParsePaging(q.Get("page"), q.Get("pageSize"))
	f.Page, f.PageSize = pg.Page, pg.Size
	fields = append(fields, pfields...)
	if len(fields) > 0 {
		return web.Invalid(fields...)
	}
	users, total, err := h.accounts.ListUsers(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := api.Page[apiidentity.UserResponse]{Items: make([]apiidentity.UserResponse, len(users)), Page: f.Page, PageSize: f.PageSize, Total: total}
	for i, u := range users {
		out.Items[i] = userResponse(u)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}

// VerifyHost is a coordinator verifying a host account.
func (h *Handlers) VerifyHost(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	u, err := h.accounts.VerifyHost(c.Request().Context(), cl.UserID(), c.Param("id"))
	if errors.Is(err, domain.ErrAccountDisabled) {
		return web.Conflict("account_disabled", "a disabled account cannot be verified")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, userResponse(u))
}

// GetUser is a coordinator reading one account.
func (h *Handlers) GetUser(c echo.Context) error {
	u, err := h.accounts.Me(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, userResponse(u))
}

// DeclineHost is a coordinator declining to verify a host, with a reason.
func (h *Handlers) DeclineHost(c echo.Context) error {
	if err := checkJSON(c); err != nil {
		return err
	}
	var req apiidentity.DeclineHostRequest
	if err := web.Decode(c.Request().Body, &req); err != nil {
		return err
	}
	cl, _ := auth.FromContext(c)
	u, err := h.accounts.DeclineHost(c.Request().Context(), cl.UserID(), c.Param("id"), req.Reason)
	switch {
	case errors.Is(err, domain.ErrAccountDisabled):
		return web.Conflict("account_disabled", "a disabled account cannot be declined")
	case errors.Is(err, domain.ErrHostVerified):
		return web.Conflict("host_verified", "the host is verified already and cannot be declined")
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, userResponse(u))
}

// checkJSON refuses bodies that say they are not JSON (the rule of
// web.Bind, which the handlers cannot use because they decode the body
// themselves, through the fuzzed decoders).
func checkJSON(c echo.Context) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Detail: "send application/json"}
	}
	return nil
}

// Problems is the service's one web.Mapper: the domain's errors with their
// HTTP meaning, or nil for the platform's error handler to decide. Handlers
// return domain errors as they are.
func Problems(err error) *web.Error {
	var rl *domain.RateLimitedError
	if errors.As(err, &rl) {
		secs := max(int(math.Ceil(rl.RetryAfter.Seconds())), 1)
		detail := "too many failed sign-in attempts; try again later"
		switch rl.Action {
		case "signup":
			detail = "too many sign-ups from this address; try again later"
		case "reset":
			detail = "too many password reset requests from this address; try again later"
		case "mail":
			detail = "too many e-mails were sent to this account lately; try again later"
		}
		return &web.Error{Status: http.StatusTooManyRequests, Code: "rate_limited",
			Detail: detail,
			Header: http.Header{"Retry-After": []string{strconv.Itoa(secs)}}}
	}
	if vs := domain.ValidationErrors(err); len(vs) > 0 {
		fields := make([]web.FieldError, len(vs))
		for i, v := range vs {
			fields[i] = v.FieldError()
		}
		return web.Invalid(fields...)
	}
	switch {
	case errors.Is(err, domain.ErrTokenInvalid):
		return web.BadRequest("invalid_token", "the link is unknown, expired or already used; ask for a new one")
	case errors.Is(err, domain.ErrAlreadyVerified):
		return web.Conflict("already_verified", "the e-mail address is verified already")
	case errors.Is(err, domain.ErrWrongPassword):
		return web.Invalid(fielderr.NewPasswordIncorrect("currentPassword"))
	case errors.Is(err, domain.ErrSelfDisable):
		return web.Conflict("self_disable", "an admin cannot disable their own account")
	case errors.Is(err, app.ErrMailOff):
		return &web.Error{Status: http.StatusServiceUnavailable, Code: "mail_not_configured", Detail: "the platform sends no e-mail (TB_SMTP_ADDR is not set)"}
	case errors.Is(err, domain.ErrEmailTaken):
		return web.Conflict("email_taken", "an account with this e-mail address already exists")
	case errors.Is(err, domain.ErrInvalidCredentials):
		return &web.Error{Status: http.StatusUnauthorized, Code: "invalid_credentials", Detail: "wrong e-mail address or password"}
	case errors.Is(err, domain.ErrSessionInvalid):
		return &web.Error{Status: http.StatusUnauthorized, Code: "invalid_refresh_token",
			Detail: "the refresh token is unknown, expired, revoked or already used; sign in again"}
	case errors.Is(err, domain.ErrUserNotFound):
		return web.NotFound("account")
	case errors.Is(err, domain.ErrNotAHost):
		return web.Unprocessable("not_a_host", "only host accounts are verified")
	case errors.Is(err, domain.ErrAccountDisabled):
		return web.Forbidden("account_disabled", "this account is disabled")
	case errors.Is(err, domain.ErrConflict):
		return web.Conflict("conflict", "the account changed meanwhile; try again")
	case errors.Is(err, domain.ErrBusy):
		return web.Unavailable("the server is busy; try again")
	}
	return nil
}
