package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// reviewJourney is the application review in the browser (issue 19): the
// host reads the applicant's statement, reviews and shortlists the
// application and offers an interview slot; the applicant, in Japanese,
// sees the stage, books the slot (shown in India and Japan time), and the
// two write to each other in the application's thread.
func reviewJourney(t *testing.T, host, asha *tab, title, interviewDay string) {
	t.Helper()
	host.open("/host/programs")
	host.submit("open the program's applications", fmt.Sprintf(`//tr[contains(., %q)]//a[contains(@href, "/applications")]`, title))
	host.expect("the host reads the statement of an applicant who applied", ".cards", "flood forecasting")
	host.submit("open Asha's application", `//li[contains(., "Asha Rao")]//a[contains(@href, "/applications/")]`)
	host.submit("shortlist before reviewing", `input[name=action][value=shortlist] ~ button`)
	host.expect("an invalid move is refused, as an alert", `main > .alert[role=alert]`, "cannot move there")
	host.submit("start reviewing", `input[name=action][value=review] ~ button`)
	host.expect("the application is under review", "main", "Under review")
	host.submit("shortlist", `input[name=action][value=shortlist] ~ button`)
	host.expect("the application is moved", ".notice", "application was moved")
	host.expect("the application is shortlisted", "main", "Shortlisted")
	hostApp := strings.SplitN(host.location(), "&done=", 2)[0]
	host.shot("host-application-shortlisted")
	hostReadsAttachedDocument(t, host, hostApp)

	host.open("/host/programs")
	host.submit("open the interview slots", fmt.Sprintf(`//tr[contains(., %q)]//a[contains(@href, "/slots")]`, title))
	host.fill("#slot-day", interviewDay)
	host.fill("#slot-time", "10:00")
	host.choose("#slot-zone", "IST")
	host.fill("#slot-minutes", "30")
	host.choose("#slot-mode", "online")
	host.submit("add a slot", `form[action$="/slots"] button[type=submit]`)
	host.expect("the slot is added", ".notice", "interview slot was added")
	host.expect("the slot is shown in India time", "table", "10:00 IST")
	host.expect("and in Japan time", "table", "13:30 JST")
	deleteSlot(t, host, interviewDay)
	host.shot("host-slots")

	asha.open("/applications")
	li := fmt.Sprintf(`//li[.//a[contains(., %q)]]`, title)
	asha.expect("the applicant sees the stage in Japanese", ".ranklist", "一次選考通過")
	asha.submit("open the application", li+`//a[starts-with(@href, "/applications/")]`)
	ashaApp := asha.location()
	asha.expect("the slot is offered in both times", "ul.slots", "10:00 インド時間")
	asha.expect("and in Japan time", "ul.slots", "13:30 日本時間")
	if got := asha.text("ul.slots"); strings.Contains(got, "11:00 インド時間") {
		t.Errorf("the applicant is offered the deleted slot: %q", got)
	}
	asha.submit("book the slot", `form[action$="/book"] button`)
	asha.expect("the interview is booked", ".notice", "面接を予約しました")
	asha.expect("the booking shows both times", ".booking", "13:30 日本時間")
	if href := asha.eval(`(document.querySelector('a[href$="/interview.ics"]') || {}).href || ""`); href == "" {
		t.Error("the booked interview has no calendar link")
	}
	asha.shot("applicant-interview-booked")

	host.open(hostApp)
	host.expect("the host sees the interview", ".booking", "IST")
	host.fill("#msg-body", "Please bring your transcript to the interview.")
	host.submit("the host writes", `form[action$="/messages"] button`)
	host.expect("the message is sent", ".notice", "message was sent")
	asha.open("/messages")
	asha.expect("the thread is on the messages page", ".threads", "Please bring your transcript")
	asha.submit("open the thread", fmt.Sprintf(`//li[contains(@class, "thread-summary")]/a[contains(., %q)]`, title))
	if got := asha.location(); got != strings.SplitN(ashaApp, "?", 2)[0] {
		t.Errorf("the thread's link leads to %s, want the application %s", got, ashaApp)
	}
	asha.expect("the applicant reads it", ".thread", "Please bring your transcript")
	asha.fill("#msg-body", "Thank you, I will bring it.")
	asha.submit("the applicant answers", `form[action$="/messages"] button`)
	asha.expect("the answer is sent", ".notice", "メッセージを送信しました")
	host.open(hostApp)
	host.expect("the host reads the answer", ".thread", "I will bring it")
	host.shot("host-thread")
	asha.open("/applications")
}

// uploadAndApplyWithPicker: the applicant uploads a transcript, applies to
// the program from its page with the transcript ticked in the Apply
// form's picker, and finds it counted on "My applications".
func uploadAndApplyWithPicker(t *testing.T, asha *tab, title string) {
	t.Helper()
	pdf := filepath.Join(t.TempDir(), "transcript.pdf")
	if err := os.WriteFile(pdf, []byte(testPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	asha.open("/documents")
	asha.choose("#f-kind", "transcript")
	asha.fill("#f-title", "Asha transcript 2026")
	asha.act("choose the transcript", chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{pdf}))
	asha.submit("upload the transcript", `form[action="/documents"] button[type=submit]`)
	asha.expect("the transcript is uploaded", ".notice", "書類をアップロードしました")

	asha.open("/recommendations")
	asha.submit("open the program", fmt.Sprintf(`//li//a[contains(., %q) and starts-with(@href, "/programs/")]`, title))
	asha.expect("the apply form offers the documents, in Japanese", "#apply-docs legend", "この応募と一緒に送る書類")
	asha.expect("the transcript is offered", "#apply-docs", "Asha transcript 2026")
	asha.act("tick the transcript", chromedp.Click(chromedp.CSS(`#apply-docs input[name=doc]`)))
	asha.shot("applicant-apply-with-documents")
	asha.submit("apply with the transcript", `#apply-form button[type=submit]`)
	asha.expect("the application is sent with it", ".notice", "選んだ書類と一緒に応募を送信しました")
	li := fmt.Sprintf(`//li[.//a[contains(., %q)]]`, title)
	attach := li + `//a[contains(@class, "attach")]`
	if got := asha.eval(fmt.Sprintf(`document.evaluate(%q, document, null, XPathResult.STRING_TYPE, null).stringValue`, attach)); !strings.Contains(got, "1 件添付") {
		t.Errorf("My applications says %q for the program, want one document attached", got)
	}
	// The link opens the application's picker, the transcript ticked.
	asha.submit("open the application's documents", attach)
	if got := asha.eval(`String(document.querySelectorAll('#doc-picker input[name=doc]:checked').length)`); got != "1" {
		t.Errorf("the application's picker has %s documents ticked, want the transcript", got)
	}
}

// hostReadsAttachedDocument: on the host's view of the application the
// attached transcript is listed by its title and its link serves the PDF
// to the host (the documents service learns of the attachment from events,
// so the title may take a moment).
func hostReadsAttachedDocument(t *testing.T, host *tab, hostApp string) {
	t.Helper()
	eventually(t, 20*time.Second, "the host sees the attached transcript", func() bool {
		host.open(hostApp)
		return strings.Contains(host.tryEval(`(document.querySelector("ul.documents") || {textContent: ""}).textContent`), "Asha transcript 2026")
	})
	ctx, cancel := context.WithTimeout(host.ctx, 10*time.Second)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => { const r = await fetch(document.querySelector("ul.documents a").href);
		return r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 8); })()`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.HasPrefix(got, "200 application/pdf %PDF-1.") {
		t.Errorf("the host downloads the attached document: %q, %v; want 200 and the PDF", got, err)
	}
}

// deleteSlot: the host adds a second slot and deletes it; the real button
// shows only after the host asked, and the confirmation is in English.
func deleteSlot(t *testing.T, host *tab, interviewDay string) {
	t.Helper()
	host.fill("#slot-day", interviewDay)
	host.fill("#slot-time", "11:00")
	host.choose("#slot-zone", "IST")
	host.fill("#slot-minutes", "30")
	host.choose("#slot-mode", "online")
	host.submit("add a second slot", `form[action$="/slots"] button[type=submit]`)
	host.expect("the second slot is added", "table", "11:00 IST")
	row := `//tr[contains(., "11:00 IST")]`
	visible := fmt.Sprintf(`String(document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.checkVisibility())`,
		row+`//details[@class="confirm"]//form//button`)
	if v := host.eval(visible); v != "false" {
		t.Errorf("the delete button is visible before the host asks to delete")
	}
	host.act("ask to delete", chromedp.Click(chromedp.Search(row+`//details[@class="confirm"]/summary`)))
	if v := host.eval(visible); v != "true" {
		t.Errorf("the delete button is hidden after the host asked to delete")
	}
	host.expect("the question is asked", "table", "Delete this slot? Applicants can no longer book it.")
	host.submit("confirm the deletion", row+`//details[@class="confirm"]//form//button`)
	host.expect("the slot is deleted", ".notice", "interview slot was deleted")
	if got := host.text("table"); strings.Contains(got, "11:00 IST") || !strings.Contains(got, "10:00 IST") {
		t.Errorf("after deleting the 11:00 slot the slots are %q, want only the 10:00 one", got)
	}
}

// bulkMessages: a second applicant, reading in Hindi, applies to the
// program; the host writes once to the applicants still at "submitted"
// (only the second one) and once to everyone; each reads on /messages, in
// their language, what was meant for them. The second applicant then
// withdraws, so the round that follows is as before.
func bulkMessages(t *testing.T, p *uiPlatform, person func() *tab, host, asha *tab, title, suffix string) {
	t.Helper()
	email := "priya.nair." + suffix + "@example.org"
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]any{"email": email, "password": uiPassword,
		"role": "applicant", "name": "Priya Nair"}, nil); st != http.StatusCreated {
		t.Fatalf("sign up the second applicant: %d", st)
	}
	tok := apiLogin(t, p.URL, email, uiPassword)
	if st := apiCall(t, p.URL, http.MethodPost, "/profiles", tok, matchProfileBody("Priya Nair", "IN"), nil); st != http.StatusCreated {
		t.Fatalf("the second applicant's profile: %d", st)
	}
	host.open("/host/programs")
	host.submit("open the program's applications", fmt.Sprintf(`//tr[contains(., %q)]//a[contains(@href, "/applications")]`, title))
	programPath := strings.SplitN(host.location(), "?", 2)[0]
	programID := strings.TrimSuffix(strings.TrimPrefix(programPath, "/host/programs/"), "/applications")
	var app struct {
		ID string `json:"id"`
	}
	eventually(t, 20*time.Second, "the second applicant applies", func() bool {
		return apiCall(t, p.URL, http.MethodPost, "/applications", tok, map[string]string{"programId": programID}, &app) == http.StatusCreated
	})

	host.open(programPath)
	host.expect("the second applicant is listed", ".cards", "Priya Nair")
	host.choose("#bulk-stage", "submitted")
	host.fill("#bulk-subject", "Send your transcript "+suffix)
	host.fill("#bulk-body", "Please attach your transcript before the review.")
	host.submit("write to the applicants still submitted", `#bulk-form button[type=submit]`)
	host.expect("the message is sent", ".notice", "sent to each applicant once")
	host.choose("#bulk-stage", "")
	host.fill("#bulk-subject", "Interview week "+suffix)
	host.fill("#bulk-body", "Interviews run in the first week of the month.")
	host.submit("write to every applicant", `#bulk-form button[type=submit]`)
	host.expect("the second message is sent", ".notice", "sent to each applicant once")
	host.shot("host-bulk-sent")

	priya := person()
	priya.open("/")
	priya.submit("choose Hindi", `form.lang button[value="hi"]`)
	priya.open("/login")
	priya.fill("#f-email", email)
	priya.fill("#f-password", uiPassword)
	priya.submit("the second applicant logs in", `form[action="/login"] button[type=submit]`)
	priya.open("/messages")
	priya.expect("the messages page is in Hindi", "h1", "मेरे संदेश")
	priya.expect("the messages to all are headed in Hindi", "#bulk-h", "सभी आवेदकों के लिए संदेश")
	priya.expect("the message to the submitted stage arrives", "ol.bulk", "Send your transcript "+suffix)
	priya.expect("the message to everyone arrives", "ol.bulk", "Interview week "+suffix)
	priya.shot("applicant-messages-hi")

	asha.open("/messages")
	asha.expect("the messages page is in Japanese", "h1", "メッセージ")
	asha.expect("the messages to all are headed in Japanese", "#bulk-h", "応募者全員へのお知らせ")
	asha.expect("the message to everyone arrives", "ol.bulk", "Interview week "+suffix)
	if got := asha.text("ol.bulk"); strings.Contains(got, "Send your transcript "+suffix) {
		t.Errorf("the applicant past the submitted stage got the message meant for it: %q", got)
	}
	asha.shot("applicant-messages-ja")

	if st := apiCall(t, p.URL, http.MethodDelete, "/applications/"+app.ID, tok, nil, nil); st >= 300 {
		t.Fatalf("the second applicant withdraws: %d", st)
	}
	asha.open("/applications")
}
