package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/talentbridge/platform/shared/mail/mailtest"
)

// TestReviewJourneyBlackBox is issue 19's acceptance journey, driven over
// HTTP against the standalone platform with TB_SMTP_ADDR pointing at an
// SMTP server the test runs. Every step asserts what a user would see.
func TestReviewJourneyBlackBox(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	const public = "https://tb.example.org"
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword,
		"TB_LOGIN_LIMIT", "1000", "TB_SMTP_ADDR", srv.Addr(), "TB_SMTP_TLS", "none",
		"TB_SMTP_FROM", "TalentBridge <no-reply@talentbridge.test>", "TB_PUBLIC_URL", public)
	f := &matchFlow{t: t, base: p.URL}
	admin := f.login(matchAdminEmail, matchAdminPassword)
	f.must(http.MethodPost, "/auth/users", admin, map[string]string{"email": "coord@journey.example",
		"password": matchPassword, "name": "Coordinator"}, http.StatusCreated, nil)
	coord := f.login("coord@journey.example", matchPassword)
	verifiedHost := func(email, name, org string) string {
		id, _ := f.signup(email, "host", name, org)
		f.must(http.MethodPost, "/auth/users/"+id+"/verify", coord, nil, http.StatusOK, nil)
		return f.login(email, matchPassword)
	}
	host := verifiedHost("office@journey.example", "Kenji Sato", "Tohoku University")
	stranger := verifiedHost("other@journey.example", "Aiko Mori", "Kyoto University")
	var program struct {
		ID string `json:"id"`
	}
	const title = "Landslide early warning lab"
	f.eventually(http.MethodPost, "/programs", host, matchProgramBody(title, "Tohoku University", "JP", "Miyagi", 1, []string{"IN", "JP"}), http.StatusCreated, &program)
	f.must(http.MethodPost, "/programs/"+program.ID+"/publish", host, nil, http.StatusOK, nil)

	email := "ananya@journey.example"
	_, tok := f.signup(email, "applicant", "Ananya Iyer", "")
	f.must(http.MethodPost, "/profiles", tok, matchProfileBody("Ananya Iyer", "IN"), http.StatusCreated, nil)
	var application struct {
		ID string `json:"id"`
	}
	f.eventually(http.MethodPost, "/applications", tok, map[string]string{"programId": program.ID}, http.StatusCreated, &application)
	appID := application.ID

	// 1. A PDF is stored with the SHA-256 of its bytes.
	pdf := journeyPDF("transcript-ananya-8812")
	r := journeyUpload(t, p.URL+"/api/v1/documents", tok, pdf, "transcript", "Transcript")
	if r.status != http.StatusCreated {
		t.Fatalf("POST /documents (PDF) = %d %s, want 201", r.status, r.body)
	}
	var doc struct {
		ID, SHA256, ContentType string
		Size                    int64
	}
	decode(t, r.body, &doc)
	sum := sha256.Sum256(pdf)
	if doc.SHA256 != hex.EncodeToString(sum[:]) || doc.Size != int64(len(pdf)) || doc.ContentType != "application/pdf" {
		t.Fatalf("uploaded document = %+v, want sha256 %x, size %d, application/pdf", doc, sum, len(pdf))
	}

	// 2. An executable with a PDF's name is refused by its bytes.
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0x90}, 2048)...)
	if r := journeyUpload(t, p.URL+"/api/v1/documents", tok, exe, "cv", "CV"); r.status != http.StatusUnsupportedMediaType ||
		!strings.Contains(string(r.body), "unsupported_file_type") {
		t.Fatalf("POST /documents (executable named .pdf) = %d %s, want 415 unsupported_file_type", r.status, r.body)
	}

	// 3. An 11 MiB file is answered 413 while the client is still sending.
	oversizedUploadIsCutShort(t, p.URL+"/api/v1/documents", tok)
	var mine struct {
		Items []struct{ ID string } `json:"items"`
	}
	f.must(http.MethodGet, "/documents/me", tok, nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != doc.ID {
		t.Fatalf("after the refused uploads the applicant holds %+v, want only %s", mine.Items, doc.ID)
	}

	// 4. A referee gets the link by e-mail and uploads once, without an account.
	referee := "prof.rao@iisc.example"
	var created struct {
		UploadLink string `json:"uploadLink"`
		Emailed    bool   `json:"emailed"`
	}
	f.must(http.MethodPost, "/references", tok, map[string]any{"refereeName": "Prof Meena Rao", "refereeEmail": referee,
		"relation": "supervisor", "waived": true, "language": "en"}, http.StatusCreated, &created)
	if !created.Emailed {
		t.Fatal("POST /references: emailed = false with SMTP configured")
	}
	m := srv.WaitFor(t, 60*time.Second, mailtest.To(referee))
	link := regexp.MustCompile(regexp.QuoteMeta(public) + `/references/upload/([A-Za-z0-9_-]{43})`).FindStringSubmatch(m.Text)
	if link == nil || !strings.HasSuffix(link[0], created.UploadLink) {
		t.Fatalf("the referee's mail carries no link to %s: %q", created.UploadLink, m.Text)
	}
	letter := journeyPDF("letter-confidential-5531")
	refURL := p.URL + "/api/v1/references/upload/" + link[1]
	if r := journeyUpload(t, refURL, "", letter, "", ""); r.status != http.StatusCreated {
		t.Fatalf("the referee's upload = %d %s, want 201", r.status, r.body)
	}
	if r := journeyUpload(t, refURL, "", journeyPDF("second"), "", ""); r.status != http.StatusGone {
		t.Fatalf("a second upload with the same link = %d %s, want 410", r.status, r.body)
	}
	var refs struct {
		Items []struct {
			ID         string `json:"id"`
			Status     string `json:"status"`
			DocumentID string `json:"documentId"`
		} `json:"items"`
	}
	f.waitFor("the applicant to see the letter received", func() error {
		f.must(http.MethodGet, "/references/me", tok, nil, http.StatusOK, &refs)
		if len(refs.Items) != 1 || refs.Items[0].Status != "received" {
			return fmt.Errorf("references = %+v", refs.Items)
		}
		return nil
	})
	if refs.Items[0].DocumentID != "" {
		t.Fatalf("a waived letter's request links its document %s for the applicant", refs.Items[0].DocumentID)
	}
	// The applicant's list names the letter, for attaching, but not its bytes.
	var listed struct {
		Items []struct {
			ID          string `json:"id"`
			Kind        string `json:"kind"`
			ReferenceID string `json:"referenceId"`
		} `json:"items"`
	}
	f.must(http.MethodGet, "/documents/me", tok, nil, http.StatusOK, &listed)
	letterID := ""
	for _, d := range listed.Items {
		if d.ReferenceID == refs.Items[0].ID {
			letterID = d.ID
		}
	}
	if letterID == "" {
		t.Fatalf("GET /documents/me = %+v, want the received letter listed", listed.Items)
	}
	if r := f.call(http.MethodGet, "/documents/"+letterID+"/content", tok, nil); r.status != http.StatusForbidden || bytes.Contains(r.body, letter) {
		t.Fatalf("the applicant reads their waived letter: %d, want 403 without the letter", r.status)
	}
	r = f.call(http.MethodGet, "/references/me", tok, nil)
	if bytes.Contains(r.body, []byte("letter-confidential-5531")) {
		t.Fatal("GET /references/me shows the letter's content")
	}

	// 5. Attached to the application, the host of the program reads them;
	// another host gets 404.
	f.must(http.MethodPut, "/applications/"+appID+"/documents", tok,
		map[string][]string{"documentIds": {doc.ID, letterID}}, http.StatusOK, nil)
	f.waitFor("the program's host to read the transcript", func() error {
		r := f.call(http.MethodGet, "/documents/"+doc.ID+"/content", host, nil)
		if r.status != http.StatusOK || !bytes.Equal(r.body, pdf) {
			return fmt.Errorf("host reads the transcript: %d, %d bytes", r.status, len(r.body))
		}
		return nil
	})
	if r := f.call(http.MethodGet, "/documents/"+letterID+"/content", host, nil); r.status != http.StatusOK || !bytes.Equal(r.body, letter) {
		t.Fatalf("the host reads the attached letter: %d, want 200 and the letter", r.status)
	}
	for _, path := range []string{"/documents/" + doc.ID, "/documents/" + doc.ID + "/content", "/documents/" + letterID + "/content"} {
		if r := f.call(http.MethodGet, path, stranger, nil); r.status != http.StatusNotFound {
			t.Fatalf("another host GET %s = %d, want 404", path, r.status)
		}
	}

	// 6. Shortlist, a slot, the booking and its calendar file.
	f.must(http.MethodPost, "/applications/"+appID+"/review", host, nil, http.StatusOK, nil)
	f.must(http.MethodPost, "/applications/"+appID+"/shortlist", host, nil, http.StatusOK, nil)
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	var slots struct {
		Items []struct {
			ID     string `json:"id"`
			Booked bool   `json:"booked"`
		} `json:"items"`
	}
	f.must(http.MethodPost, "/programs/"+program.ID+"/interview-slots", host, map[string]any{"slots": []map[string]any{{
		"start": start, "end": start.Add(30 * time.Minute), "mode": "online", "location": "https://meet.example/landslide"}}},
		http.StatusCreated, &slots)
	if len(slots.Items) != 1 {
		t.Fatalf("slots created = %+v, want 1", slots.Items)
	}
	slotID := slots.Items[0].ID
	f.must(http.MethodGet, "/programs/"+program.ID+"/interview-slots", tok, nil, http.StatusOK, &slots)
	if len(slots.Items) != 1 || slots.Items[0].ID != slotID || slots.Items[0].Booked {
		t.Fatalf("the shortlisted applicant sees slots %+v, want the free %s", slots.Items, slotID)
	}
	f.must(http.MethodPost, "/applications/"+appID+"/interview", tok, map[string]string{"slotId": slotID}, http.StatusOK, nil)
	var apps struct {
		Items []struct {
			ID        string `json:"id"`
			Stage     string `json:"stage"`
			Interview *struct {
				SlotID string    `json:"slotId"`
				Start  time.Time `json:"start"`
			} `json:"interview"`
		} `json:"items"`
	}
	f.must(http.MethodGet, "/applications/me", tok, nil, http.StatusOK, &apps)
	if len(apps.Items) != 1 || apps.Items[0].Stage != "interview_scheduled" || apps.Items[0].Interview == nil ||
		apps.Items[0].Interview.SlotID != slotID || !apps.Items[0].Interview.Start.Equal(start) {
		t.Fatalf("GET /applications/me = %+v, want interview_scheduled at %s", apps.Items, start)
	}
	r = f.call(http.MethodGet, "/applications/"+appID+"/interview.ics", tok, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET interview.ics = %d %s", r.status, r.body)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("interview.ics does not parse: %v\n%s", err, r.body)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("interview.ics holds %d events, want 1", len(evs))
	}
	at, err1 := evs[0].GetStartAt()
	end, err2 := evs[0].GetEndAt()
	summary := evs[0].GetProperty(ics.ComponentPropertySummary)
	if err1 != nil || err2 != nil || !at.Equal(start) || !end.Equal(start.Add(30*time.Minute)) ||
		summary == nil || !strings.Contains(summary.Value, title) {
		t.Fatalf("interview.ics event: start %v (%v), end %v (%v), summary %+v; want %s–%s about %q",
			at, err1, end, err2, summary, start, start.Add(30*time.Minute), title)
	}
	if r := f.call(http.MethodGet, "/applications/"+appID+"/interview.ics", stranger, nil); r.status != http.StatusNotFound {
		t.Fatalf("another host GET interview.ics = %d, want 404", r.status)
	}

	// 7. The host's message reaches the applicant in the thread and by e-mail.
	words := "please-bring-the-field-notebook-4471"
	f.must(http.MethodPost, "/applications/"+appID+"/messages", host, map[string]string{"body": words}, http.StatusCreated, nil)
	var thread struct {
		Items []struct {
			Body       string `json:"body"`
			AuthorRole string `json:"authorRole"`
		} `json:"items"`
	}
	f.must(http.MethodGet, "/applications/"+appID+"/messages", tok, nil, http.StatusOK, &thread)
	if len(thread.Items) != 1 || thread.Items[0].Body != words || thread.Items[0].AuthorRole != "host" {
		t.Fatalf("the applicant's thread = %+v, want the host's message", thread.Items)
	}
	if r := f.call(http.MethodGet, "/applications/"+appID+"/messages", stranger, nil); r.status != http.StatusNotFound {
		t.Fatalf("another host reads the thread: %d, want 404", r.status)
	}
	mail := srv.WaitFor(t, 60*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == email && strings.Contains(m.Subject, title) && strings.Contains(m.Text, "Kenji Sato")
	})
	if !strings.Contains(mail.Text, public+"/applications/"+appID) {
		t.Errorf("the message mail %q does not link to the thread", mail.Text)
	}

	// 8. After erasure a coordinator gets 404 for the document within 60 s.
	f.must(http.MethodGet, "/documents/"+doc.ID, coord, nil, http.StatusOK, nil)
	if r := f.call(http.MethodDelete, "/auth/me", tok, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE /auth/me = %d %s", r.status, r.body)
	}
	erased := time.Now()
	for {
		r := f.call(http.MethodGet, "/documents/"+doc.ID, coord, nil)
		if r.status == http.StatusNotFound {
			if r := f.call(http.MethodGet, "/documents/"+doc.ID+"/content", coord, nil); r.status != http.StatusNotFound {
				t.Fatalf("the erased document's content = %d, want 404", r.status)
			}
			t.Logf("the document was gone %v after the erasure", time.Since(erased).Round(100*time.Millisecond))
			break
		}
		if time.Since(erased) > 60*time.Second {
			t.Fatalf("a minute after the erasure a coordinator still gets %d for the document", r.status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// journeyPDF is a small well-formed PDF that carries marker, so that its
// bytes differ from every other test file's.
func journeyPDF(marker string) []byte {
	return []byte("%PDF-1.4\n% " + marker + "\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
		"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n107\n%%EOF\n")
}

// journeyForm writes a multipart upload: kind and title first (when
// given), then the file named cv.pdf whatever it holds.
func journeyForm(t *testing.T, file []byte, kind, title string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if kind != "" {
		_ = w.WriteField("kind", kind)
		_ = w.WriteField("title", title)
	}
	part, err := w.CreateFormFile("file", "cv.pdf")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(file)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

func journeyUpload(t *testing.T, url, token string, file []byte, kind, title string) matchResponse {
	t.Helper()
	body, ct := journeyForm(t, file, kind, title)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return matchResponse{status: resp.StatusCode, body: raw}
}

// oversizedUploadIsCutShort sends an 11 MiB file slowly (64 KiB every
// 5 ms), once with its length declared and once chunked, and checks that
// the 413 arrives while the writer still has bytes to send, and that the
// writer then finds the way closed instead of finishing.
func oversizedUploadIsCutShort(t *testing.T, url, token string) {
	t.Helper()
	body, ct := journeyForm(t, append(journeyPDF("eleven-mib"), make([]byte, 11<<20)...), "cv", "Big")
	for _, declared := range []bool{true, false} {
		pr, pw := io.Pipe()
		var sent atomic.Int64
		writerDone := make(chan error, 1)
		go func() {
			for off := 0; off < len(body); off += 64 << 10 {
				n, err := pw.Write(body[off:min(off+64<<10, len(body))])
				sent.Add(int64(n))
				if err != nil {
					writerDone <- err
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
			pw.Close()
			writerDone <- nil
		}()
		req, err := http.NewRequest(http.MethodPost, url, pr)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1
		if declared {
			req.ContentLength = int64(len(body))
		}
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST 11 MiB (declared length %v): %v", declared, err)
		}
		atAnswer := sent.Load()
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), "file_too_large") {
			t.Fatalf("POST 11 MiB (declared length %v) = %d %s, want 413 file_too_large", declared, resp.StatusCode, raw)
		}
		if atAnswer >= int64(len(body)) {
			t.Fatalf("declared length %v: the 413 came after all %d bytes were sent", declared, len(body))
		}
		// The server closed the connection after its answer: the transport
		// closes the request body and the writer's next write fails
		// instead of sending the rest.
		select {
		case err := <-writerDone:
			if err == nil {
				t.Fatalf("declared length %v: the writer sent the whole body", declared)
			}
		case <-time.After(30 * time.Second):
			pr.Close()
			t.Fatal("the writer neither finished nor failed within 30 s of the 413")
		}
		t.Logf("declared length %v: 413 after %d of %d bytes", declared, atAnswer, len(body))
	}
}
