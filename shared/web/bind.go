package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Bind decodes a JSON body into v strictly: the media type must be JSON,
// unknown fields are refused (so a client can never set id, ownerId, role or
// status by adding them), and exactly one JSON value is allowed. Errors name
// the field where they can.
func Bind(c echo.Context, v any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Detail: "send application/json"}
		}
	}
	return Decode(req.Body, v)
}

// Decode is Bind without the request: strict JSON from r into v.
func Decode(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return BadRequest("malformed_json", "the body must hold exactly one JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return BadRequest("malformed_json", "the body must hold exactly one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Detail: fmt.Sprintf("the request body may be at most %d bytes", mbe.Limit)}
	case errors.Is(err, io.EOF):
		return BadRequest("malformed_json", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return BadRequest("malformed_json", "the JSON body ends too early")
	case errors.As(err, &syn):
		return BadRequest("malformed_json", fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return Invalid(fielderr.NewType(field, jsonType(typ.Type.Kind().String())).Because("must be %s", jsonKind(typ.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Invalid(fielderr.NewUnknownField(name))
	}
	return BadRequest("malformed_json", "the body is not valid JSON")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "float32", "float64":
		return "a number"
	}
	return "of another type"
}

// ReadRecorder passes reads through and keeps the first error other than
// io.EOF, so a caller whose parser turns read errors into its own reports
// can still tell that the body was too large (http.MaxBytesError).
type ReadRecorder struct {
	R   io.Reader
	Err error
}

func (r *ReadRecorder) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	if err != nil && err != io.EOF && r.Err == nil {
		r.Err = err
	}
	return n, err
}

// jsonType names the JSON type a Go kind decodes from, for a type error's
// format parameter.
func jsonType(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "integer"
	}
	return "number"
}
