package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/mongodb"
)

// FieldError names one field of a request, what is wrong with it as a
// stable code with parameters, and an English reason (DESIGN.md §3).
type FieldError = fielderr.FieldError

// Error is an error with an HTTP meaning. Handlers return it (or a domain
// error that the service maps to it); the error handler renders it as
// application/problem+json (RFC 9457).
type Error struct {
	Status int
	// Code is stable and machine-readable, e.g. "host_not_verified".
	Code   string
	Detail string
	Fields []FieldError
	// Header is added to the response, e.g. Retry-After.
	Header http.Header
	// Members are extension members (RFC 9457 §3.2) written after the
	// standard ones, e.g. "reasons" for an applicant who is not eligible.
	Members map[string]any
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Code + ": " + e.Detail
	}
	return e.Code
}

// Problem is the JSON body of an error response.
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Code     string       `json:"code"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// Constructors for the common cases.
func NotFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Detail: what + " not found"}
}
func Forbidden(code, detail string) *Error {
	return &Error{Status: http.StatusForbidden, Code: code, Detail: detail}
}
func Unauthorized(detail string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Detail: detail}
}
func Conflict(code, detail string) *Error {
	return &Error{Status: http.StatusConflict, Code: code, Detail: detail}
}
func Unprocessable(code, detail string) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: code, Detail: detail}
}
func BadRequest(code, detail string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Detail: detail}
}

// Invalid reports a request whose fields break the rules; every broken rule
// is listed.
func Invalid(fields ...FieldError) *Error {
	d := "the request has invalid fields"
	if len(fields) == 1 {
		d = fields[0].Field + ": " + fields[0].Reason
	}
	return &Error{Status: http.StatusBadRequest, Code: "invalid_request", Detail: d, Fields: fields}
}

// Unavailable means a dependency (database, bus) cannot be reached now.
func Unavailable(detail string) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Detail: detail,
		Header: http.Header{"Retry-After": []string{"2"}}}
}

// Mapper turns a service's domain errors into HTTP errors; it returns nil
// for errors it does not know.
type Mapper func(error) *Error

// asError finds the HTTP meaning of err.
func asError(err error, mappers []Mapper) *Error {
	var we *Error
	if errors.As(err, &we) {
		return we
	}
	for _, m := range mappers {
		if we := m(err); we != nil {
			return we
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return &Error{Status: he.Code, Code: "not_found", Detail: "no such resource"}
		case http.StatusMethodNotAllowed:
			return &Error{Status: he.Code, Code: "method_not_allowed", Detail: "method not allowed on this resource"}
		case http.StatusRequestEntityTooLarge:
			return &Error{Status: he.Code, Code: "body_too_large", Detail: "the request body is larger than allowed"}
		case http.StatusUnsupportedMediaType:
			return &Error{Status: he.Code, Code: "unsupported_media_type", Detail: "send application/json"}
		case http.StatusServiceUnavailable:
			return Unavailable("the request timed out; try again")
		case http.StatusUnauthorized:
			return Unauthorized("a valid token is required")
		case http.StatusForbidden:
			return Forbidden("forbidden", "not allowed")
		case http.StatusTooManyRequests:
			return &Error{Status: he.Code, Code: "rate_limited", Detail: "too many requests"}
		}
		if he.Code < 500 {
			msg, _ := he.Message.(string)
			return &Error{Status: he.Code, Code: "bad_request", Detail: msg}
		}
	}
	switch {
	case errors.Is(err, mongodb.ErrNotFound):
		return NotFound("resource")
	case errors.Is(err, mongodb.ErrDuplicate):
		return Conflict("already_exists", "it already exists")
	case errors.Is(err, context.DeadlineExceeded), mongodb.IsTransient(err),
		errors.Is(err, nats.ErrTimeout), errors.Is(err, nats.ErrNoResponders),
		errors.Is(err, nats.ErrConnectionClosed), errors.Is(err, nats.ErrConnectionReconnecting):
		return Unavailable("a backing service is not reachable right now; try again")
	}
	return nil
}

// ErrorHandler returns Echo's one place that turns errors into responses.
// Unknown errors become a 500 whose body reveals nothing; they are logged
// with the request id.
func ErrorHandler(log *slog.Logger, mappers ...Mapper) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		we := asError(err, mappers)
		if we == nil {
			log.Error("request failed", "err", err, "path", c.Path(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			we = &Error{Status: http.StatusInternalServerError, Code: "internal", Detail: "something went wrong on our side"}
		}
		for k, vs := range we.Header {
			for _, v := range vs {
				c.Response().Header().Add(k, v)
			}
		}
		p := Problem{
			Type:     "https://talentbridge.example/problems/" + we.Code,
			Title:    http.StatusText(we.Status),
			Status:   we.Status,
			Code:     we.Code,
			Detail:   we.Detail,
			Instance: c.Request().URL.Path,
			Errors:   we.Fields,
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(we.Status)
		if c.Request().Method == http.MethodHead {
			return
		}
		body, err := problemBody(p, we.Members)
		if err != nil {
			log.Error("encode problem", "err", err, "code", we.Code)
			body, _ = problemBody(p, nil)
		}
		_, _ = c.Response().Write(body)
	}
}

// problemBody encodes p followed by the extension members, in key order,
// ending with a newline.
func problemBody(p Problem, members map[string]any) ([]byte, error) {
	body, err := json.Marshal(p)
	if err != nil || len(members) == 0 {
		return append(body, '\n'), err
	}
	extra, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	// {"type":…} + {"reasons":…} → {"type":…,"reasons":…}
	body = append(body[:len(body)-1], ',')
	body = append(body, extra[1:]...)
	return append(body, '\n'), nil
}
