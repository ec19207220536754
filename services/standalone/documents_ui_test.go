package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestDocumentsPagesInTheBrowser: in headless Chromium, an applicant in
// each language uploads a PDF on the documents page, sees it listed and a
// refused executable explained in that language; then asks a referee for
// a letter, and the referee, in another browser without an account,
// uploads it once through the link and the applicant sees it received.
func TestDocumentsPagesInTheBrowser(t *testing.T) {
	p := startUIPlatform(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "transcript.pdf")
	fake := filepath.Join(dir, "setup.pdf") // an executable with a PDF's name
	if err := os.WriteFile(pdf, []byte(testPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fake, append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 600)...), 0o600); err != nil {
		t.Fatal(err)
	}
	person := openBrowser(t, p)
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e6, 10)

	for _, tc := range []struct {
		lang, heading, uploaded, refused, received string
	}{
		{"en", "My documents", "Your document has been uploaded.", "PDF, PNG and JPEG files are accepted", "Received"},
		{"ja", "書類", "書類をアップロードしました。", "PDF・PNG・JPEG のみ受け付けます。", "受領済み"},
		{"hi", "मेरे दस्तावेज़", "आपका दस्तावेज़ अपलोड हो गया है।", "केवल PDF, PNG और JPEG फ़ाइलें स्वीकार की जाती हैं।", "प्राप्त"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := person()
			b.t = t
			b.open("/")
			b.chooseLanguage(tc.lang)
			b.open("/signup")
			b.fill("#f-name", "Applicant "+tc.lang)
			b.fill("#f-email", "docs."+tc.lang+"."+suffix+"@example.org")
			b.fill("#f-password", uiPassword)
			b.submit("sign up", `form[action="/signup"] button[type=submit]`)

			b.open("/documents")
			if lang := b.eval(`document.documentElement.lang`); lang != tc.lang {
				t.Fatalf("documents page <html lang> = %q, want %s", lang, tc.lang)
			}
			b.expect("documents heading", "h1", tc.heading)
			b.choose("#f-kind", "transcript")
			b.fill("#f-title", "Transcript "+tc.lang)
			b.act("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{pdf}))
			b.shot("documents-form-" + tc.lang)
			b.submit("upload", `form[action="/documents"] button[type=submit]`)
			b.expect("upload notice", ".notice", tc.uploaded)
			b.expect("the document is listed", "#documents tbody", "Transcript "+tc.lang)
			if n := b.eval(`String(document.querySelectorAll("#documents tbody tr").length)`); n != "1" {
				t.Fatalf("documents listed = %s, want 1", n)
			}
			// The download link serves the same bytes to the signed-in owner.
			ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => { const a = document.querySelector('#documents a[download]');
				const r = await fetch(a.href); return r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 8); })()`,
				chromedp.EvalAwaitPromise))
			cancel()
			if err != nil {
				t.Fatalf("download: %v", err)
			}
			if !strings.HasPrefix(got, "200 application/pdf %PDF-1.") {
				t.Fatalf("download = %q, want 200 application/pdf and the PDF", got)
			}

			// An executable with a PDF's name is refused, in the page's language.
			b.choose("#f-kind", "cv")
			b.fill("#f-title", "CV")
			b.act("choose the fake file", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{fake}))
			b.submit("upload the fake", `form[action="/documents"] button[type=submit]`)
			b.expect("refusal explained", "#e-file", tc.refused)
			b.shot("documents-refused-" + tc.lang)
			if n := b.eval(`String(document.querySelectorAll("#documents tbody tr").length)`); n != "1" {
				t.Fatalf("documents listed after a refusal = %s, want still 1", n)
			}

			// A letter: the applicant asks, the referee uploads once without an account.
			b.open("/references")
			b.fill("#f-refereeName", "Prof Kenji Sato")
			b.fill("#f-refereeEmail", "sato."+tc.lang+"@example.ac.jp")
			b.fill("#f-relation", "supervisor")
			b.choose("#f-language", "ja")
			b.submit("request a letter", `form[action="/references"] button[type=submit]`)
			link := strings.TrimSpace(b.text("#upload-link"))
			if !strings.HasPrefix(link, "/references/upload/") {
				t.Fatalf("upload link shown = %q", link)
			}
			referee := person()
			referee.t = t
			referee.open(link)
			if lang := referee.eval(`document.documentElement.lang`); lang != "ja" {
				t.Fatalf("the referee's page <html lang> = %q, want the referee's language ja", lang)
			}
			referee.act("choose the letter", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{pdf}))
			referee.submit("upload the letter", `main form button[type=submit]`)
			referee.expect("letter received", "#letter-received", "推薦状を受け取りました")
			referee.open(link)
			referee.expect("the link works once", "#link-closed", "すでに推薦状がアップロードされています")
			b.open("/references")
			b.expect("the applicant sees it received", "#references tbody", tc.received)
		})
	}
}

const testPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n107\n%%EOF\n"
