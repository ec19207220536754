package documents_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/platformtest"
)

func TestUploadStoresPDFPNGAndJPEGWithTheirHash(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	for _, tc := range []struct {
		name, kind, want string
		file             []byte
	}{
		{"pdf", apidocs.KindTranscript, "application/pdf", samplePDF("grades")},
		{"png", apidocs.KindPassport, "image/png", samplePNG(t)},
		{"jpeg", apidocs.KindLanguageCertificate, "image/jpeg", sampleJPEG(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The name says text; the bytes decide.
			r := upload(t, env, asha, tc.kind, "My "+tc.name, "notes.txt", tc.file)
			mustStatus(t, r, http.StatusCreated, "POST /documents")
			var d apidocs.Document
			r.JSON(t, &d)
			sum := sha256.Sum256(tc.file)
			if d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(tc.file)) || d.ContentType != tc.want || d.Kind != tc.kind {
				t.Fatalf("POST /documents = %+v, want sha256 %x, size %d, type %s", d, sum, len(tc.file), tc.want)
			}
			c := get(t, env, "/api/v1/documents/"+d.ID+"/content", asha.token)
			mustStatus(t, c, http.StatusOK, "GET content")
			if !bytes.Equal(c.Body, tc.file) {
				t.Fatalf("GET content returned %d bytes that differ from the %d uploaded", len(c.Body), len(tc.file))
			}
			for h, want := range map[string]string{"Content-Type": tc.want, "X-Content-Type-Options": "nosniff"} {
				if got := c.Header.Get(h); got != want {
					t.Errorf("GET content %s = %q, want %q", h, got, want)
				}
			}
			if cd := c.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
				t.Errorf("GET content Content-Disposition = %q, want an attachment", cd)
			}
		})
	}
	var mine apidocs.Documents
	r := get(t, env, "/api/v1/documents/me", asha.token)
	mustStatus(t, r, http.StatusOK, "GET /documents/me")
	r.JSON(t, &mine)
	if len(mine.Items) != 3 || mine.Limit != apidocs.MaxPerApplicant {
		t.Fatalf("GET /documents/me = %d items, limit %d; want 3, %d", len(mine.Items), mine.Limit, apidocs.MaxPerApplicant)
	}
}

func TestUploadRefusesWhatBreaksARuleAndStoresNothing(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	broken := samplePDF("x")
	broken = broken[:len(broken)-30] // trailer cut off
	big := append(samplePDF("big"), make([]byte, apidocs.MaxFileSize)...)
	for _, tc := range []struct {
		name, kind, title string
		file              []byte
		status            int
		code              string
	}{
		{"executable named .pdf", apidocs.KindCV, "CV", sampleEXE(), 415, "unsupported_file_type"},
		{"plain text", apidocs.KindCV, "CV", []byte("just words, not a document\n"), 415, "unsupported_file_type"},
		{"pdf without trailer", apidocs.KindCV, "CV", broken, 415, "pdf_malformed"},
		{"over 10 MiB", apidocs.KindCV, "CV", big, 413, "file_too_large"},
		{"empty file", apidocs.KindCV, "CV", []byte{}, 400, "file_missing"},
		{"unknown kind", "diary", "CV", samplePDF("a"), 400, "invalid_request"},
		{"reference kind", apidocs.KindReference, "CV", samplePDF("a"), 400, "invalid_request"},
		{"blank title", apidocs.KindCV, " ", samplePDF("a"), 400, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := upload(t, env, asha, tc.kind, tc.title, "cv.pdf", tc.file)
			mustProblem(t, r, tc.status, tc.code, "POST /documents")
		})
	}
	// Not multipart at all, and a form without its file.
	mustProblem(t, env.Do(t, http.MethodPost, "/api/v1/documents", asha.token, map[string]any{"kind": "cv"}),
		415, "unsupported_media_type", "POST /documents as JSON")
	body, ct := form(t, "", nil, apidocs.FieldKind, apidocs.KindCV, apidocs.FieldTitle, "CV")
	mustProblem(t, send(t, env, "/api/v1/documents", asha.token, body, ct), 400, "invalid_request", "POST /documents without a file")
	// The file before its fields cannot be judged before it is stored.
	body, ct = form(t, "cv.pdf", samplePDF("a"))
	mustProblem(t, send(t, env, "/api/v1/documents", asha.token, body, ct), 400, "invalid_request", "POST /documents file first")

	var mine apidocs.Documents
	get(t, env, "/api/v1/documents/me", asha.token).JSON(t, &mine)
	if files, chunks := countFiles(t, env); len(mine.Items) != 0 || files != 0 || chunks != 0 {
		t.Fatalf("after refused uploads: %d documents, %d GridFS files, %d chunks; want none", len(mine.Items), files, chunks)
	}
}

// slowBody feeds a request body in small pieces with pauses, as a client
// on a slow line would, and records whether it finished.
type slowBody struct {
	pr       *io.PipeReader
	finished atomic.Bool
}

func newSlowBody(data []byte, piece int, pause time.Duration) *slowBody {
	pr, pw := io.Pipe()
	s := &slowBody{pr: pr}
	go func() {
		for off := 0; off < len(data); off += piece {
			if _, err := pw.Write(data[off:min(off+piece, len(data))]); err != nil {
				return // the reader gave up: the test has its answer
			}
			time.Sleep(pause)
		}
		s.finished.Store(true)
		pw.Close()
	}()
	return s
}

func TestOversizedUploadIsRefusedWhileTheBodyIsStillBeingSent(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	file := append(samplePDF("eleven"), make([]byte, 11<<20)...)
	body, ct := form(t, "big.pdf", file, apidocs.FieldKind, apidocs.KindCV, apidocs.FieldTitle, "Big")
	for _, tc := range []struct {
		name   string
		length int64 // -1: chunked, no Content-Length
	}{{"with Content-Length", int64(len(body))}, {"chunked", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			// 64 KiB every 8 ms: about 1.5 s for the whole body.
			sb := newSlowBody(body, 64<<10, 8*time.Millisecond)
			defer sb.pr.Close()
			req, err := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/documents", sb.pr)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = tc.length
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+asha.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("POST /documents: %v", err)
			}
			finished := sb.finished.Load()
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), "file_too_large") {
				t.Fatalf("POST /documents of 11 MiB = %d %s, want 413 file_too_large", resp.StatusCode, raw)
			}
			if finished {
				t.Fatal("the 413 came after the client had sent the whole body, want it while still sending")
			}
		})
	}
	if files, chunks := countFiles(t, env); files != 0 || chunks != 0 {
		t.Fatalf("after refused uploads: %d GridFS files, %d chunks; want none", files, chunks)
	}
}

func TestAnApplicantKeepsAtMostFiftyDocuments(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	png := samplePNG(t)
	for i := range apidocs.MaxPerApplicant {
		mustUpload(t, env, asha, apidocs.KindOther, fmt.Sprintf("page %d", i+1), png)
	}
	r := upload(t, env, asha, apidocs.KindOther, "one too many", "p.png", png)
	mustProblem(t, r, http.StatusConflict, "document_limit_reached", "POST /documents number 51")
	if files, _ := countFiles(t, env); files != apidocs.MaxPerApplicant {
		t.Fatalf("GridFS files = %d, want %d", files, apidocs.MaxPerApplicant)
	}
	// Someone else is not limited by Asha's documents.
	mustUpload(t, env, newPerson(t, env, applicant), apidocs.KindCV, "CV", png)
}

func TestDeleteRemovesTheBytes(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	d := mustUpload(t, env, asha, apidocs.KindCV, "CV", samplePDF("cv"))
	other := newPerson(t, env, applicant)
	mustStatus(t, env.Do(t, http.MethodDelete, "/api/v1/documents/"+d.ID, other.token, nil), http.StatusNotFound, "DELETE another's document")
	mustStatus(t, env.Do(t, http.MethodDelete, "/api/v1/documents/"+d.ID, asha.token, nil), http.StatusNoContent, "DELETE own document")
	mustStatus(t, get(t, env, "/api/v1/documents/"+d.ID, asha.token), http.StatusNotFound, "GET deleted document")
	mustStatus(t, get(t, env, "/api/v1/documents/"+d.ID+"/content", asha.token), http.StatusNotFound, "GET deleted content")
	if files, chunks := countFiles(t, env); files != 0 || chunks != 0 {
		t.Fatalf("after delete: %d GridFS files, %d chunks; want none", files, chunks)
	}
	evs := platformtest.WaitEvents(t, env.Deps.Bus, "DOCUMENTS", platformtest.EventFilter{Subject: d.ID}, 2)
	if evs[0].Type != "tb.documents.v1.document.uploaded" || evs[1].Type != "tb.documents.v1.document.deleted" {
		t.Fatalf("DOCUMENTS events of %s = %s, %s; want uploaded, deleted", d.ID, evs[0].Type, evs[1].Type)
	}
}
