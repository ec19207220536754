package mailtext

import (
	"strings"
	"testing"
	"time"
)

func TestEveryLanguageRendersEveryCode(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{"account.verified", "offer.received", "round.unmatched", "application.staged",
		"interview.scheduled", "interview.cancelled", "message.sent"}
	p := Params{Name: "Hana", Program: "Tohoku Summer Lab", Round: "Spring 2027", Link: "https://tb.example/offers",
		Settings: "https://tb.example/settings/notifications", Deadline: time.Date(2027, 3, 1, 11, 30, 0, 0, time.UTC)}
	for _, lang := range Languages {
		for _, code := range codes {
			s, body, err := c.Render(lang, code, p)
			if err != nil {
				t.Fatalf("Render(%s, %s): %v", lang, code, err)
			}
			if s == "" || !strings.Contains(body, "Hana") || !strings.Contains(body, p.Link) || !strings.Contains(body, p.Settings) {
				t.Errorf("Render(%s, %s) = %q / %q: want a subject, the name and both links", lang, code, s, body)
			}
		}
	}
	_, ja, _ := c.Render("ja", "offer.received", p)
	if !strings.Contains(ja, "2027-03-01 20:30 JST") || !strings.Contains(ja, "17:00 IST") || !strings.Contains(ja, "承諾") {
		t.Errorf("Japanese offer mail lacks the deadline in JST and IST: %q", ja)
	}
	_, en, _ := c.Render("xx", "round.unmatched", p)
	if !strings.Contains(en, "Spring 2027") || !strings.Contains(en, "none of the programs") {
		t.Errorf("unknown language did not fall back to English: %q", en)
	}
	if _, noDeadline, _ := c.Render("en", "offer.received", Params{Name: "A", Program: "P"}); strings.Contains(noDeadline, "accept or decline by") {
		t.Errorf("an offer without a deadline mentions one: %q", noDeadline)
	}
}

// A stage mail names the stage and, for a pass, the reason, both in the
// reader's language; a message mail names its writer.
func TestStageReasonAndSenderWording(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	p := Params{Name: "Hana", Program: "Tohoku Summer Lab", Stage: "not_shortlisted", Reason: "seats_filled"}
	_, ja, err := c.Render("ja", "application.staged", p)
	if err != nil || !strings.Contains(ja, "「選外」") || !strings.Contains(ja, "理由: プログラムの枠はすでに埋まっています。") {
		t.Errorf("Japanese pass mail = %q (%v), want the stage and the reason in Japanese", ja, err)
	}
	_, hi, _ := c.Render("hi", "application.staged", p)
	if !strings.Contains(hi, "सीटें पहले ही भर चुकी हैं") {
		t.Errorf("Hindi pass mail lacks the reason: %q", hi)
	}
	_, en, _ := c.Render("en", "application.staged", Params{Name: "A", Program: "P", Stage: "shortlisted"})
	if !strings.Contains(en, "“Shortlisted”") || strings.Contains(en, "reason") {
		t.Errorf("English shortlist mail = %q, want the stage worded and no reason line", en)
	}
	_, msg, _ := c.Render("en", "message.sent", Params{Name: "A", Program: "P", Sender: "Tohoku University"})
	if !strings.Contains(msg, "Tohoku University wrote a new message") {
		t.Errorf("message mail does not say who wrote: %q", msg)
	}
	if got := c.word("en", "stage.", "a_stage_added_later"); got != "a_stage_added_later" {
		t.Errorf("unknown stage worded %q, want the code itself", got)
	}
}
