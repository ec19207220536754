// Package domain holds the documents service's rules: which files are
// accepted (PDF, PNG or JPEG decided from the bytes, a PDF with its header
// and trailer), the kinds and titles of documents, referee requests and
// their one-time links, and who may read what. It imports no web, database
// or messaging code.
package domain

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Errors the service's handlers map to HTTP answers.
var (
	ErrNotFound = errors.New("not found")
	// ErrWaived: the applicant waived the right to read this letter.
	ErrWaived = errors.New("the applicant waived the right to read this letter")
	// ErrLimitReached: the applicant keeps MaxPerApplicant documents.
	ErrLimitReached = errors.New("document limit reached")
	// ErrLinkUsed and ErrLinkExpired: a referee's link works once, within
	// its lifetime.
	ErrLinkUsed    = errors.New("this upload link was already used")
	ErrLinkExpired = errors.New("this upload link has expired")
	// ErrTooManyReferences: the applicant asked for MaxReferences letters.
	ErrTooManyReferences = errors.New("reference limit reached")
	// ErrOwnerErased: the file's owner erased their account; nothing more
	// is stored for them.
	ErrOwnerErased = errors.New("the owner's account has been erased")
)

// MaxReferences is how many letters one applicant may ask for.
const MaxReferences = 20

// LinkLifetime is how long a referee's upload link works.
const LinkLifetime = 30 * 24 * time.Hour

// FieldError is one broken rule of a request, with a stable code.
type FieldError = fielderr.FieldError

// ValidationError lists every broken rule of a request.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid request: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(f FieldError) { e.Fields = append(e.Fields, f) }

func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// FileError is a file that breaks an upload rule: Status is 413 (too
// large) or 415 (not an accepted type), Code names the rule.
type FileError struct {
	Status int
	Code   string
	Detail string
}

func (e *FileError) Error() string { return e.Code + ": " + e.Detail }

// Field is the file problem as a field error of the file field.
func (e *FileError) Field(field string) FieldError {
	var p *fielderr.Params
	code := fielderr.Format
	switch e.Code {
	case CodeTooLarge:
		code, p = fielderr.FileTooLarge, &fielderr.Params{Max: new(int(apidocs.MaxFileSize >> 20))}
	case CodeType:
		code = fielderr.FileType
	case CodePDFBroken:
		code = fielderr.FileDamaged
	case CodeMissingFile:
		code = fielderr.FileEmpty
	}
	return fielderr.New(field, code, p, e.Detail)
}

// Upload-rule codes.
const (
	CodeTooLarge    = "file_too_large"
	CodeType        = "unsupported_file_type"
	CodePDFBroken   = "pdf_malformed"
	CodeMissingFile = "file_missing"
)

// TooLarge is the error of a file over MaxFileSize.
func TooLarge() *FileError {
	return &FileError{Status: 413, Code: CodeTooLarge,
		Detail: fmt.Sprintf("a document may be at most %d MiB", apidocs.MaxFileSize>>20)}
}

// Upload is what a person asked to store, before the bytes are read.
type Upload struct {
	Kind  string
	Title string
}

// maxTitle bounds a title, in characters.
const maxTitle = 200

// Validate checks an applicant's upload fields.
func (u Upload) Validate() error {
	var v ValidationError
	if !isKind(u.Kind) {
		v.add(fielderr.NewOneOf(apidocs.FieldKind, apidocs.Kinds).Because("must be one of %s", strings.Join(apidocs.Kinds, ", ")))
	}
	checkText(&v, apidocs.FieldTitle, u.Title, maxTitle)
	return v.orNil()
}

func isKind(k string) bool {
	for _, x := range apidocs.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// checkText requires 1..max printable characters of valid UTF-8.
func checkText(v *ValidationError, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		v.add(fielderr.NewTextEncoding(field).Because("must be UTF-8 text"))
	case strings.TrimSpace(s) == "":
		v.add(fielderr.NewRequired(field))
	case utf8.RuneCountInString(s) > max:
		v.add(fielderr.NewTooLong(field, max).Because("may be at most %d characters", max))
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		v.add(fielderr.NewControlCharacter(field).Because("may not contain control characters"))
	}
}

// Document is a stored file's metadata.
type Document struct {
	ID          string
	OwnerID     string
	Kind        string
	Title       string
	ContentType string
	Size        int64
	SHA256      string
	UploadedAt  time.Time
	// ReferenceID and Waived are set on a referee's letter.
	ReferenceID string
	Waived      bool
}

// Reader is who asks to read a document.
type Reader struct {
	ID          string
	Coordinator bool // coordinators and admins
}

// Languages a referee may choose.
var Languages = []string{"en", "ja", "hi"}

// Reference is a letter request.
type Reference struct {
	ID           string
	ApplicantID  string
	RefereeName  string
	RefereeEmail string
	Relation     string
	Waived       bool
	Language     string
	// TokenHash is the SHA-256 of the upload link's token, hex.
	TokenHash   string
	RequestedAt time.Time
	ExpiresAt   time.Time
	ReceivedAt  time.Time // zero until the letter arrives
	DocumentID  string
}

// Status is requested, received or expired at now.
func (r *Reference) Status(now time.Time) string {
	switch {
	case !r.ReceivedAt.IsZero():
		return apidocs.StatusReceived
	case !now.Before(r.ExpiresAt):
		return apidocs.StatusExpired
	}
	return apidocs.StatusRequested
}

// Usable reports whether the link may still be used at now.
func (r *Reference) Usable(now time.Time) error {
	switch r.Status(now) {
	case apidocs.StatusReceived:
		return ErrLinkUsed
	case apidocs.StatusExpired:
		return ErrLinkExpired
	}
	return nil
}

const (
	maxName     = 200
	maxRelation = 100
	maxEmail    = 254
)

// ValidateRequest checks a reference request and fills in the language.
func ValidateRequest(r *apidocs.ReferenceRequest) error {
	var v ValidationError
	checkText(&v, "refereeName", r.RefereeName, maxName)
	checkText(&v, "relation", r.Relation, maxRelation)
	if a, err := mail.ParseAddress(r.RefereeEmail); err != nil || a.Address != r.RefereeEmail || len(r.RefereeEmail) > maxEmail {
		v.add(fielderr.NewEmail("refereeEmail"))
	}
	if r.Language == "" {
		r.Language = "en"
	}
	ok := false
	for _, l := range Languages {
		ok = ok || l == r.Language
	}
	if !ok {
		v.add(fielderr.NewOneOf("language", Languages).Because("must be one of %s", strings.Join(Languages, ", ")))
	}
	return v.orNil()
}
