package main

import (
	"fmt"
	"strings"
	"testing"
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
	host.shot("host-slots")

	asha.open("/applications")
	li := fmt.Sprintf(`//li[.//a[contains(., %q)]]`, title)
	asha.expect("the applicant sees the stage in Japanese", ".ranklist", "一次選考通過")
	asha.submit("open the application", li+`//a[starts-with(@href, "/applications/")]`)
	ashaApp := asha.location()
	asha.expect("the slot is offered in both times", "ul.slots", "10:00 インド時間")
	asha.expect("and in Japan time", "ul.slots", "13:30 日本時間")
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
	asha.open(strings.SplitN(ashaApp, "?", 2)[0])
	asha.expect("the applicant reads it", ".thread", "Please bring your transcript")
	asha.fill("#msg-body", "Thank you, I will bring it.")
	asha.submit("the applicant answers", `form[action$="/messages"] button`)
	asha.expect("the answer is sent", ".notice", "メッセージを送信しました")
	host.open(hostApp)
	host.expect("the host reads the answer", ".thread", "I will bring it")
	host.shot("host-thread")
	asha.open("/applications")
}
