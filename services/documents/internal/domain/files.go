package domain

import (
	"bytes"
	"net/http"

	"github.com/gabriel-vasile/mimetype"
)

// Accepted content types, decided from the bytes.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
)

// SniffLen is how many leading bytes Sniff needs.
const SniffLen = 3072

// Sniff decides a file's type from its first bytes (at least SniffLen of
// them, or the whole file when shorter): PDF, PNG or JPEG, whatever the
// name says. Anything else is a 415 FileError.
func Sniff(head []byte) (string, error) {
	if len(head) == 0 {
		return "", &FileError{Status: http.StatusBadRequest, Code: CodeMissingFile, Detail: "the file is empty"}
	}
	m := mimetype.Detect(head)
	for _, t := range []string{TypePDF, TypePNG, TypeJPEG} {
		if m.Is(t) {
			return t, nil
		}
	}
	return "", &FileError{Status: http.StatusUnsupportedMediaType, Code: CodeType,
		Detail: "only PDF, PNG and JPEG files are accepted (this file looks like " + m.String() + ")"}
}

// TailLen is how many trailing bytes CheckPDF needs.
const TailLen = 2048

// CheckPDF checks the frame of a PDF: head starts with "%PDF-1.x" or
// "%PDF-2.x" (a few bytes of junk before it are tolerated, as readers do)
// and tail, the file's last bytes, holds "startxref", a byte offset and
// then "%%EOF". It does not parse the objects in between.
func CheckPDF(head, tail []byte) error {
	broken := func(d string) error {
		return &FileError{Status: http.StatusUnsupportedMediaType, Code: CodePDFBroken, Detail: "the PDF is damaged: " + d}
	}
	i := bytes.Index(head[:min(len(head), 1024)], []byte("%PDF-"))
	if i < 0 || len(head) < i+8 || (head[i+5] != '1' && head[i+5] != '2') || head[i+6] != '.' ||
		head[i+7] < '0' || head[i+7] > '9' {
		return broken("no %PDF-1.x header")
	}
	eof := bytes.LastIndex(tail, []byte("%%EOF"))
	if eof < 0 {
		return broken("no %%EOF at the end")
	}
	sx := bytes.LastIndex(tail[:eof], []byte("startxref"))
	if sx < 0 {
		return broken("no startxref before %%EOF")
	}
	off := bytes.TrimSpace(tail[sx+len("startxref") : eof])
	if len(off) == 0 || len(off) > 20 {
		return broken("no byte offset after startxref")
	}
	for _, c := range off {
		if c < '0' || c > '9' {
			return broken("the offset after startxref is not a number")
		}
	}
	return nil
}
