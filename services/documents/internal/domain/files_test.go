package domain

import (
	"bytes"
	"errors"
	"net/http"
	"testing"
)

const goodPDF = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<<>>\nstartxref\n27\n%%EOF\n"

func TestCheckPDF(t *testing.T) {
	for _, tc := range []struct {
		name, file, code string
	}{
		{"good", goodPDF, ""},
		{"pdf 2.0 with CRLF", "%PDF-2.0\r\nstuff\r\nstartxref\r\n9\r\n%%EOF\r\n", ""},
		{"junk before header", "\x00\x00%PDF-1.7\nstartxref\n1\n%%EOF", ""},
		{"no header", "PDF-1.4\nstartxref\n1\n%%EOF", CodePDFBroken},
		{"bad version", "%PDF-9.1\nstartxref\n1\n%%EOF", CodePDFBroken},
		{"no eof", "%PDF-1.4\nstartxref\n1\n", CodePDFBroken},
		{"no startxref", "%PDF-1.4\nxref\n1\n%%EOF", CodePDFBroken},
		{"offset not a number", "%PDF-1.4\nstartxref\nabc\n%%EOF", CodePDFBroken},
		{"no offset", "%PDF-1.4\nstartxref\n%%EOF", CodePDFBroken},
		{"truncated header", "%PDF-1", CodePDFBroken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := []byte(tc.file)
			err := CheckPDF(b, b[max(0, len(b)-TailLen):])
			var fe *FileError
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("CheckPDF(%q) = %v, want nil", tc.file, err)
			case tc.code != "" && (!errors.As(err, &fe) || fe.Code != tc.code || fe.Status != http.StatusUnsupportedMediaType):
				t.Fatalf("CheckPDF(%q) = %v, want 415 %s", tc.file, err, tc.code)
			}
		})
	}
}

func TestSniffDecidesFromTheBytes(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	for _, tc := range []struct {
		name string
		head []byte
		want string
		code string
	}{
		{"pdf", []byte(goodPDF), TypePDF, ""},
		{"png", png, TypePNG, ""},
		{"jpeg", jpeg, TypeJPEG, ""},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", CodeType},
		{"html", []byte("<!doctype html><script>alert(1)</script>"), "", CodeType},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00"), "", CodeType},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", CodeType},
		{"empty", nil, "", CodeMissingFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sniff(tc.head)
			var fe *FileError
			if tc.code != "" {
				if !errors.As(err, &fe) || fe.Code != tc.code {
					t.Fatalf("Sniff(%q) = %q, %v; want %s", tc.head, got, err, tc.code)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Sniff(%q) = %q, %v; want %q", tc.head, got, err, tc.want)
			}
		})
	}
}

// FuzzCheckPDF: any bytes give nil or a 415 FileError, never a panic; and
// what passes has the header and the trailer.
func FuzzCheckPDF(f *testing.F) {
	for _, s := range []string{goodPDF, "%PDF-1.", "startxref%%EOF", "%PDF-1.0 startxref 1 %%EOF%%EOF", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		err := CheckPDF(b, b[max(0, len(b)-TailLen):])
		var fe *FileError
		if err != nil && (!errors.As(err, &fe) || fe.Status != http.StatusUnsupportedMediaType) {
			t.Fatalf("CheckPDF = %v, want nil or a 415 FileError", err)
		}
		if err == nil && (!bytes.Contains(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("startxref")) || !bytes.Contains(b, []byte("%%EOF"))) {
			t.Fatalf("CheckPDF(%q) accepted a file without header or trailer", b)
		}
	})
}

// FuzzSniff: any bytes give one of the three types or a FileError.
func FuzzSniff(f *testing.F) {
	f.Add([]byte(goodPDF))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("\xff\xd8\xff"))
	f.Add([]byte("MZ"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, err := Sniff(b)
		var fe *FileError
		switch {
		case err != nil && !errors.As(err, &fe):
			t.Fatalf("Sniff = %v, want a FileError", err)
		case err == nil && ct != TypePDF && ct != TypePNG && ct != TypeJPEG:
			t.Fatalf("Sniff accepted %q", ct)
		}
	})
}
