package documents_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/documents"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

func start(t testing.TB) *platformtest.Env {
	t.Helper()
	return platformtest.Start(t, platformtest.Options{}, documents.New)
}

// person is a signed-in user of a role.
type person struct {
	id, token string
}

func newPerson(t testing.TB, env *platformtest.Env, role string) person {
	t.Helper()
	id := uuid.NewString()
	return person{id: id, token: env.Issuer.Token(t, id, role)}
}

// samplePDF is a small PDF with its header, one page object, a cross-
// reference table and the startxref … %%EOF trailer.
func samplePDF(text string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	off2 := b.Len()
	b.WriteString("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	fmt.Fprintf(&b, "%% %s\n", text)
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 3\n0000000000 65535 f \n%010d 00000 n \n%010d 00000 n \n", off1, off2)
	fmt.Fprintf(&b, "trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func samplePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sampleEXE starts like a Windows executable.
func sampleEXE() []byte {
	b := make([]byte, 512)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	copy(b[0x3c:], []byte{0x80, 0, 0, 0})
	copy(b[0x80:], "PE\x00\x00\x4c\x01")
	return b
}

// form builds a multipart body: fields in order (name, value, …), then the
// file under filename unless file is nil.
func form(t testing.TB, filename string, file []byte, fields ...string) (body []byte, contentType string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		fw, err := w.CreateFormFile(apidocs.FieldFile, filename)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(file); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// send posts a body with its content type and an optional token.
func send(t *testing.T, env *platformtest.Env, path, token string, body []byte, contentType string) platformtest.Response {
	t.Helper()
	return platformtest.Do(t, env.Server.URL, http.MethodPost, path, token, body, "Content-Type", contentType)
}

func upload(t *testing.T, env *platformtest.Env, p person, kind, title, filename string, file []byte) platformtest.Response {
	t.Helper()
	body, ct := form(t, filename, file, apidocs.FieldKind, kind, apidocs.FieldTitle, title)
	return send(t, env, "/api/v1/documents", p.token, body, ct)
}

func mustUpload(t *testing.T, env *platformtest.Env, p person, kind, title string, file []byte) apidocs.Document {
	t.Helper()
	r := upload(t, env, p, kind, title, "file.bin", file)
	mustStatus(t, r, http.StatusCreated, "POST /documents")
	var d apidocs.Document
	r.JSON(t, &d)
	return d
}

func mustStatus(t *testing.T, r platformtest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s = %d %s, want %d", what, r.Status, r.Body, want)
	}
}

func mustProblem(t *testing.T, r platformtest.Response, status int, code, what string) {
	t.Helper()
	mustStatus(t, r, status, what)
	if p := r.Problem(t); p.Code != code {
		t.Fatalf("%s problem code = %q (%s), want %q", what, p.Code, p.Detail, code)
	}
}

func publish(t *testing.T, env *platformtest.Env, ev events.Envelope) {
	t.Helper()
	platformtest.Publish(t, env.Deps.Bus, ev)
}

// hostProgram publishes a program of host, as the programs service does.
func hostProgram(t *testing.T, env *platformtest.Env, programID, hostID string, version int64) {
	t.Helper()
	publish(t, env, platformtest.Event(t, programs.Source, events.ProgramPublished, programID, version,
		programs.Program{ID: programID, HostID: hostID, Title: "Exchange", Status: programs.StatusPublished}))
}

// attach publishes application.documents as the matching service will.
func attach(t *testing.T, env *platformtest.Env, appID, applicantID, programID string, version int64, docIDs ...string) {
	t.Helper()
	publish(t, env, platformtest.Event(t, matching.Source, events.ApplicationDocuments, appID, version,
		matching.ApplicationDocuments{ApplicationID: appID, ApplicantID: applicantID, ProgramID: programID,
			DocumentIDs: docIDs, At: time.Now().UTC()}))
}

func get(t *testing.T, env *platformtest.Env, path, token string) platformtest.Response {
	t.Helper()
	return env.Do(t, http.MethodGet, path, token, nil)
}

// roles used in tests.
const (
	applicant   = auth.RoleApplicant
	host        = auth.RoleHost
	coordinator = auth.RoleCoordinator
)

// countFiles counts GridFS files and chunks of the documents database.
func countFiles(t *testing.T, env *platformtest.Env) (files, chunks int64) {
	t.Helper()
	db := env.Deps.DB(documents.Database)
	ctx := context.Background()
	files, err := db.Collection("fs.files").CountDocuments(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	chunks, err = db.Collection("fs.chunks").CountDocuments(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	return files, chunks
}

// decodeBody decodes a JSON response and closes it.
func decodeBody(t testing.TB, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	platformtest.DecodeJSON(t, raw, v)
}

// sizeName names a benchmark by its file size.
func sizeName(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa((n+512<<10)>>20) + "MiB"
	}
	return strconv.Itoa(n>>10) + "KiB"
}
