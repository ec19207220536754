package httpapi

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	"github.com/talentbridge/platform/services/documents/internal/messaging"
	"github.com/talentbridge/platform/shared/web"
)

// FuzzReadForm reads arbitrary multipart bodies as an upload: a form with
// both fields and a file, or an error with an HTTP meaning; never a panic.
func FuzzReadForm(f *testing.F) {
	for _, s := range []string{
		"--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncv\r\n--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCV\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--B--\r\n",
		"--B\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--B--\r\n",
		"--B--\r\n", "garbage", "--B\r\n\r\n",
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, fields bool) {
		form, err := readForm(multipart.NewReader(bytes.NewReader(body), "B"), fields)
		if err != nil {
			var we *web.Error
			if !errors.As(err, &we) && Problems(err) == nil {
				t.Fatalf("readForm error without an HTTP meaning: %v", err)
			}
			return
		}
		if form.file == nil || (fields && (form.kind == "" || form.title == "")) {
			t.Fatalf("readForm accepted a form without file or fields: %+v", form)
		}
		_, _ = io.Copy(io.Discard, form.file)
	})
}

// FuzzDecodeReferenceRequest decodes arbitrary bodies of POST /references
// and validates them: a 4XX problem or a request that keeps every rule.
func FuzzDecodeReferenceRequest(f *testing.F) {
	for _, s := range []string{
		`{"refereeName":"Prof K","refereeEmail":"k@example.org","relation":"supervisor","waived":true,"language":"hi"}`,
		`{"refereeName":"","refereeEmail":"x","relation":"r"}`, `{"status":"received"}`, `[]`, `{`, `null`,
	} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/references", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		c := e.NewContext(req, httptest.NewRecorder())
		r, err := DecodeReferenceRequest(c)
		if err == nil {
			err = domain.ValidateRequest(&r)
		}
		if err != nil {
			var we *web.Error
			if !errors.As(err, &we) && Problems(err) == nil {
				t.Fatalf("error without an HTTP meaning: %v", err)
			}
			return
		}
		if r.RefereeName == "" || r.Relation == "" || !strings.Contains(r.RefereeEmail, "@") || r.Language == "" {
			t.Fatalf("accepted a request that breaks a rule: %+v", r)
		}
	})
}

// FuzzDecodeExportRequest: the export responder's decoder takes any bytes.
func FuzzDecodeExportRequest(f *testing.F) {
	f.Add([]byte(`{"userId":"u1"}`))
	f.Add([]byte(`{"userId":"  "}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := messaging.DecodeExportRequest(b)
		if err == nil && strings.TrimSpace(req.UserID) == "" {
			t.Fatalf("accepted %q without a user id", b)
		}
	})
}
