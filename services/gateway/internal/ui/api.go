package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// The UI is a client of the platform's own API. It calls /api/v1 through
// the gateway's Echo, in process, as the signed-in user: their access token
// (from the session cookie) goes in the Authorization header, so the API
// applies exactly the rules it applies to any other client. In standalone
// mode the API routes are on that Echo; in split mode the Echo forwards
// them to the services.

// APIError is an answer of the API other than 2xx, with its problem.
type APIError struct {
	Status  int
	Problem web.Problem
}

func (e *APIError) Error() string {
	return fmt.Sprintf("api %d %s: %s", e.Status, e.Problem.Code, e.Problem.Detail)
}

// statusOf returns the HTTP status of an API error, 0 for other errors.
func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// csvBody is a request body sent as text/csv.
type csvBody []byte

// multipartBody is a multipart/form-data request body, streamed.
type multipartBody struct {
	r     io.Reader
	ctype string
}

// apiResponse is a successful answer.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// call sends one API request as the user of c and decodes a 2xx JSON answer
// into out (when not nil). Other answers come back as *APIError.
func (u *UI) call(c echo.Context, method, path string, in, out any) error {
	res, err := u.send(c, method, path, in)
	if err != nil {
		return err
	}
	if out != nil && len(res.Body) > 0 {
		if err := json.Unmarshal(res.Body, out); err != nil {
			return fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return nil
}

func (u *UI) send(c echo.Context, method, path string, in any) (*apiResponse, error) {
	var body io.Reader
	ctype := ""
	switch v := in.(type) {
	case nil:
	case csvBody:
		body, ctype = bytes.NewReader(v), "text/csv"
	case multipartBody:
		body, ctype = v.r, v.ctype
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		body, ctype = bytes.NewReader(raw), echo.MIMEApplicationJSON
	}
	outer := c.Request()
	req, err := http.NewRequestWithContext(outer.Context(), method, platform.APIPrefix+path, body)
	if err != nil {
		return nil, err
	}
	// The client as the API would see it: same address (and forwarding
	// header, which the API trusts only from configured proxies), same
	// request id for the logs, same languages.
	req.RemoteAddr = outer.RemoteAddr
	req.Host = outer.Host
	for _, h := range []string{echo.HeaderXForwardedFor, echo.HeaderXRealIP, "Accept-Language", "Traceparent"} {
		if v := outer.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
		req.Header.Set(echo.HeaderXRequestID, id)
	}
	req.Header.Set(echo.HeaderAccept, "application/json")
	if ctype != "" {
		req.Header.Set(echo.HeaderContentType, ctype)
	}
	if tok := accessToken(c); tok != "" {
		req.Header.Set(echo.HeaderAuthorization, "Bearer "+tok)
	}
	rec := &recorder{header: http.Header{}}
	u.echo.ServeHTTP(rec, req)
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	if status >= 300 {
		ae := &APIError{Status: status}
		if err := json.Unmarshal(rec.body.Bytes(), &ae.Problem); err != nil || ae.Problem.Code == "" {
			ae.Problem.Code = strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
		}
		return nil, ae
	}
	return &apiResponse{Status: status, Header: rec.header, Body: rec.body.Bytes()}, nil
}

// accessToken is the signed-in user's access token: the session cookie,
// which the session middleware has refreshed when needed.
func accessToken(c echo.Context) string {
	if _, ok := auth.FromContext(c); !ok {
		return ""
	}
	ck, err := c.Request().Cookie(auth.AccessCookie)
	if err != nil {
		return ""
	}
	return ck.Value
}

// recorder is an in-memory http.ResponseWriter for in-process calls.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
