package httpapi

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// formAllowance is what an upload's body may hold besides the file: the
// multipart boundaries and headers, the kind and the title.
const formAllowance = 64 << 10

// maxField bounds a text field of the form, in bytes.
const maxField = 4 << 10

// tooLargeUpFront refuses a body whose declared length cannot fit a file
// of MaxFileSize, before any of it is read: the client gets the answer
// while it is still sending.
func tooLargeUpFront(r *http.Request) error {
	if r.ContentLength > apidocs.MaxFileSize+formAllowance {
		return domain.TooLarge()
	}
	return nil
}

// form is an upload's fields and its file, still to be read.
type form struct {
	kind, title string
	file        io.Reader
}

// openForm reads a multipart form up to its file part and returns the
// fields before it and the file, unread. With fields true the kind and
// title are expected before the file (in that order browsers send them
// from the UI's form; API clients must do the same); a referee's form has
// the file alone.
func openForm(r *http.Request, fields bool) (*form, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Detail: "send the upload as multipart/form-data"}
	}
	return readForm(multipart.NewReader(r.Body, params["boundary"]), fields)
}

// readForm is openForm after the media type.
func readForm(mr *multipart.Reader, fields bool) (*form, error) {
	f := &form{}
	var fe []web.FieldError
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, bodyError(err)
		}
		switch name := p.FormName(); name {
		case apidocs.FieldFile:
			if fields && (f.kind == "" || f.title == "") {
				fe = append(fe, fielderr.NewRequired(apidocs.FieldFile).Because("send the kind and title fields before the file"))
				return nil, web.Invalid(fe...)
			}
			f.file = p
			return f, nil
		case apidocs.FieldKind, apidocs.FieldTitle:
			if !fields {
				return nil, web.Invalid(fielderr.NewUnknownField(name).Because("a referee's upload takes only the file"))
			}
			raw, err := io.ReadAll(io.LimitReader(p, maxField+1))
			if err != nil {
				return nil, bodyError(err)
			}
			if len(raw) > maxField {
				return nil, web.Invalid(fielderr.NewTooLong(name, maxField).Because("is too long"))
			}
			if name == apidocs.FieldKind {
				f.kind = strings.TrimSpace(string(raw))
			} else {
				f.title = strings.TrimSpace(string(raw))
			}
		default:
			return nil, web.Invalid(fielderr.NewUnknownField(name).Because("is not a field of this form"))
		}
	}
	return nil, web.Invalid(fielderr.NewRequired(apidocs.FieldFile))
}

// bodyError tells a body over the route's limit from a malformed one.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return domain.TooLarge()
	}
	return web.BadRequest("malformed_multipart", "the multipart body could not be read")
}
