package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/mail/mailtest"
)

// TestReviewMailJourney: on the standalone platform with TB_SMTP_ADDR
// pointing at a test SMTP server, a host shortlists an applicant and writes
// in the application's thread; the applicant, who chose Japanese e-mails,
// gets both in the inbox and by e-mail: the stage worded in Japanese, the
// message mail naming the host and linking to the thread, without the
// message's words.
func TestReviewMailJourney(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword,
		"TB_LOGIN_LIMIT", "1000", "TB_SMTP_ADDR", srv.Addr(), "TB_SMTP_TLS", "none",
		"TB_SMTP_FROM", "TalentBridge <no-reply@talentbridge.test>", "TB_PUBLIC_URL", "https://tb.example.org")
	f := &matchFlow{t: t, base: p.URL}
	host, programID := f.hostedProgram("review-mail.example", "office", "Kenji Sato", "Tohoku University", "Flood sensing lab", "Miyagi")

	email := "priya@review-mail.example"
	_, tok := f.signup(email, "applicant", "Priya Nair", "")
	f.must(http.MethodPut, "/notifications/settings", tok, map[string]string{"language": "ja"}, http.StatusOK, nil)
	f.must(http.MethodPost, "/profiles", tok, matchProfileBody("Priya Nair", "IN"), http.StatusCreated, nil)
	var app struct {
		ID string `json:"id"`
	}
	f.eventually(http.MethodPost, "/applications", tok, map[string]string{"programId": programID}, http.StatusCreated, &app)
	f.eventually(http.MethodPost, "/applications/"+app.ID+"/review", host, nil, http.StatusOK, nil)
	f.must(http.MethodPost, "/applications/"+app.ID+"/shortlist", host, nil, http.StatusOK, nil)
	words := "bring-your-rain-gauge-5521"
	f.must(http.MethodPost, "/applications/"+app.ID+"/messages", host, map[string]string{"body": words}, http.StatusCreated, nil)

	staged := srv.WaitFor(t, 60*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == email && strings.Contains(m.Text, "「候補者に選出」")
	})
	if !strings.Contains(staged.Text, "https://tb.example.org/applications/"+app.ID) {
		t.Errorf("stage mail %q lacks the application's link", staged.Text)
	}
	msg := srv.WaitFor(t, 60*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == email && strings.Contains(m.Text, "Kenji Sato さんが")
	})
	if !strings.Contains(msg.Text, "https://tb.example.org/applications/"+app.ID+"?program="+programID) ||
		!strings.Contains(msg.Subject, "Flood sensing lab") || strings.Contains(msg.Text, words) {
		t.Errorf("message mail = %q / %q, want the program, the thread's link and not the message's words", msg.Subject, msg.Text)
	}
	f.waitFor("the applicant's inbox to hold the shortlisting and the message", func() error {
		r := f.call(http.MethodGet, "/notifications/me", tok, nil)
		var inbox struct {
			Items []struct {
				Code   string            `json:"code"`
				Params map[string]string `json:"params"`
			} `json:"items"`
		}
		if err := json.Unmarshal(r.body, &inbox); err != nil {
			return err
		}
		shortlisted, message := false, false
		for _, n := range inbox.Items {
			shortlisted = shortlisted || (n.Code == "application.staged" && n.Params["stage"] == "shortlisted")
			message = message || (n.Code == "message.sent" && n.Params["program"] == "Flood sensing lab")
		}
		if !shortlisted || !message {
			return fmt.Errorf("inbox = %+v", inbox.Items)
		}
		return nil
	})
	for _, m := range srv.Messages() {
		if m.Rcpt[0] == "office@review-mail.example" && strings.Contains(m.Subject, "メッセージ") {
			t.Errorf("the host was mailed about their own message: %q", m.Subject)
		}
	}
}
