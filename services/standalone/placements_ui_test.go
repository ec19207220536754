package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/standalone/demo"
	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// placementPages: applicant A accepts the seeded offer (if no earlier step
// did) and the platform
// makes it a placement. In headless Chromium the participant reads the
// placement's checklist in English, Japanese and Hindi and marks one of
// their own tasks done in each; a coordinator finds the at-risk page and
// completes the placement; the participant then leaves feedback once.
func placementPages(t *testing.T, p *uiPlatform, s *seeded) {
	if s.matchA == "" {
		t.Skip("applicant A has no offer in the seeded round")
	}
	// An earlier step may have accepted it already (409 then).
	if st := apiCall(t, p.URL, http.MethodPost, "/matches/"+s.matchA+"/accept", s.applicantA, nil, nil); st != http.StatusOK && st != http.StatusConflict {
		t.Fatalf("accept the offer = %d", st)
	}
	var mine apiplacements.Placements
	eventually(t, 30*time.Second, "the accepted offer becomes a placement", func() bool {
		apiCall(t, p.URL, http.MethodGet, "/placements/me", s.applicantA, nil, &mine)
		return len(mine.Items) == 1
	})
	pl := mine.Items[0]
	var tasks apiplacements.Tasks
	apiCall(t, p.URL, http.MethodGet, "/placements/"+pl.ID+"/tasks", s.applicantA, nil, &tasks)
	var own []apiplacements.Task
	for _, task := range tasks.Items {
		if task.Party == "applicant" {
			own = append(own, task)
		}
	}
	if len(own) < 2 {
		t.Fatalf("placement %s (%s) has %d tasks of the participant, want at least 2", pl.ID, pl.Direction, len(own))
	}
	var me struct {
		Email string `json:"email"`
	}
	apiCall(t, p.URL, http.MethodGet, "/auth/me", s.applicantA, nil, &me)

	person := openBrowser(t, p)
	login := func(b *tab, email, password string) {
		b.open("/login")
		b.fill("#f-email", email)
		b.fill("#f-password", password)
		b.submit("log in", `form[action="/login"] button[type=submit]`)
	}
	for i, tc := range []struct{ lang, heading, done, doneWord string }{
		{"en", "My placements", "The task is marked done.", "done"},
		{"ja", "私の受け入れ", "手続きを完了にしました。", "完了"},
		{"hi", "मेरे प्लेसमेंट", "काम पूरा चिह्नित हो गया।", "हो गया"},
	} {
		b := person()
		b.open("/")
		b.chooseLanguage(tc.lang)
		login(b, me.Email, demo.Password)
		b.open("/placements")
		b.expect("the list's heading", "main h1", tc.heading)
		b.submit("open the placement", `#placements a[href="/placements/`+pl.ID+`"]`)
		if got := b.eval(`document.documentElement.lang`); got != tc.lang {
			t.Fatalf("placement page <html lang> = %q, want %s", got, tc.lang)
		}
		b.expect("the checklist in "+tc.lang, "#checklist", own[0].Titles[tc.lang])
		if i >= len(own) {
			continue
		}
		task := own[i]
		b.submit("mark "+task.ID+" done", `#task-`+task.ID+` form.task-done button`)
		b.expect("the notice", ".notice", tc.done)
		b.expect(task.ID+" shows done", "#task-"+task.ID, tc.doneWord)
		b.shot("placement-" + tc.lang)
	}

	coord := person()
	login(coord, demo.CoordinatorEmail, demo.Password)
	coord.open("/coord/placements")
	coord.expect("the at-risk page", "main h1", "Placements at risk")
	coord.open("/placements/" + pl.ID)
	coord.submit("complete the placement", `#finish form[action$="/complete"] button`)
	coord.expect("completed", ".notice", "The placement is marked completed.")
	coord.expect("status completed", "#placement-status", "completed")

	asha := person()
	login(asha, me.Email, demo.Password)
	asha.open("/placements/" + pl.ID)
	asha.choose(`#feedback input[name=rating]`, "5")
	asha.fill("#f-comment", "The lab made us welcome.")
	asha.submit("leave feedback", `#feedback button[type=submit]`)
	asha.expect("feedback saved", ".notice", "your feedback is saved")
	asha.expect("feedback shown", "#feedback", "The lab made us welcome.")
	if n := asha.eval(`String(document.querySelectorAll('#feedback form').length)`); n != "0" {
		t.Errorf("the feedback form is still offered after feedback was given (%s forms)", n)
	}
	var after apiplacements.Placement
	apiCall(t, p.URL, http.MethodGet, "/placements/"+pl.ID, s.applicantA, nil, &after)
	if after.Status != apiplacements.StatusCompleted || len(after.Feedback) != 1 || after.Feedback[0].Rating != 5 {
		t.Errorf("after the browser steps the placement is %+v", after)
	}
}
