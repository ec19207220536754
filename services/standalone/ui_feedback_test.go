package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/talentbridge/platform/services/standalone/demo"
)

// coordinatorFeedback drives what a coordinator is told (issue 22, item 8)
// and how an applicant orders and withdraws (item 9), in a browser:
//   - publishing a round with matches still to review is refused in an
//     alert, and the round page names each match that waits;
//   - several matches are approved at once from the review queue;
//   - a rejection is confirmed as such (it used to land on an unknown
//     notice, "match_rejectd", and say nothing);
//   - an application moves to any place of the rank list in one step;
//   - withdrawing asks first, and an accepted offer's application offers
//     no withdrawal at all.
func coordinatorFeedback(t *testing.T, p *uiPlatform, s *seeded) {
	person := openBrowser(t, p)
	var round struct {
		ID string `json:"id"`
	}
	// Every program of hosts A and B, so that at least three matches are
	// proposed: one to reject, some to approve by ticking, the rest with
	// "approve all".
	var programIDs []string
	for _, host := range []string{s.hostA, s.hostB} {
		var mine struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		apiCall(t, p.URL, http.MethodGet, "/programs?mine=true&pageSize=100", host, nil, &mine)
		for _, it := range mine.Items {
			programIDs = append(programIDs, it.ID)
		}
	}
	// Which demo applicants applied to those programs depends on the
	// recommendations they saw while the demo loaded, so three applicants
	// of this test's own apply to a program of its own with enough seats.
	programIDs = append(programIDs, feedbackApplicants(t, p, s, 3))
	if st := apiCall(t, p.URL, http.MethodPost, "/rounds", s.coord, map[string]any{"name": "Feedback round", "programIds": programIDs, "seed": 11}, &round); st != http.StatusCreated {
		t.Fatalf("create round = %d", st)
	}
	apiCall(t, p.URL, http.MethodPost, "/rounds/"+round.ID+"/run", s.coord, nil, nil)
	type match struct {
		ID          string `json:"id"`
		ApplicantID string `json:"applicantId"`
		Status      string `json:"status"`
	}
	var ms struct {
		Items []match `json:"items"`
	}
	eventually(t, 40*time.Second, "the feedback round completes with two proposals or more", func() bool {
		var r struct {
			Status string `json:"status"`
		}
		apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID, s.coord, nil, &r)
		if r.Status != "completed" {
			return false
		}
		apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID+"/matches?status=proposed", s.coord, nil, &ms)
		return true
	})
	if len(ms.Items) < 3 {
		t.Fatalf("the feedback round proposed %d matches, want at least 3", len(ms.Items))
	}

	coord := person()
	coord.open("/login")
	coord.fill("#f-email", demo.CoordinatorEmail)
	coord.fill("#f-password", demo.Password)
	coord.submit("the coordinator logs in", `form[action="/login"] button[type=submit]`)

	// Publishing now is refused, as an alert, and the page lists what waits.
	coord.open("/coord/rounds/" + round.ID)
	coord.submit("publish before review", `form[action$="/publish"] button`)
	coord.expect("the refusal says what blocks it", `main > .alert[role=alert]`, "not been reviewed")
	if n := coord.eval(`String(document.querySelectorAll("main > .notice").length)`); n != "0" {
		t.Errorf("a refused publish shows %s confirmation boxes, want none", n)
	}
	coord.expect("the round counts the matches waiting", "#undecided-h", fmt.Sprintf("(%d)", len(ms.Items)))
	if got := coord.eval(`String(document.querySelectorAll("section.undecided li").length)`); got != fmt.Sprint(len(ms.Items)) {
		t.Errorf("the round lists %s matches waiting for review, want %d", got, len(ms.Items))
	}
	coord.shot("feedback-publish-refused")

	// One is rejected with a reason: the page confirms the rejection.
	first, rest := ms.Items[0], ms.Items[1:]
	coord.open("/coord/review")
	coord.fill("#f-reason-"+first.ID, "Seat kept for a partner")
	coord.submit("reject one match", fmt.Sprintf(`#match-%s form[action$="/reject"] button`, first.ID))
	coord.expect("the rejection is confirmed", `main > .notice[role=status]`, "has been rejected")
	if loc := coord.location(); !strings.Contains(loc, "done=match_rejected") {
		t.Errorf("after rejecting the page is %s, want done=match_rejected", loc)
	}

	var approved struct {
		Items []match `json:"items"`
	}

	// "Approve all" names the count the page showed: one the round no
	// longer holds (a page shown before a re-run) approves nothing.
	coord.open("/coord/rounds/" + round.ID)
	coord.expect("the round offers to approve all that wait", "section.undecided details.confirm summary",
		fmt.Sprintf("Approve all %d proposed matches", len(rest)))
	coord.act("open the approve-all confirmation", chromedp.Click(chromedp.CSS("section.undecided details.confirm summary")))
	coord.eval(`document.querySelector('form.approve-all input[name=proposed]').value = "999"; "set"`)
	coord.submit("approve all with a stale count", `form.approve-all button[type=submit]`)
	coord.expect("a stale count approves nothing", `main > .alert[role=alert]`, "number of proposed matches changed")
	apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID+"/matches?status=approved", s.coord, nil, &approved)
	if len(approved.Items) != 0 {
		t.Fatalf("approve all with a stale count approved %d matches", len(approved.Items))
	}

	// Approving with nothing ticked is refused; the ticked ones are
	// approved together (all but one of the rest when there are two or
	// more, which "approve all" then takes).
	coord.open("/coord/review")
	coord.submit("approve with nothing ticked", `#bulk button[type=submit]`)
	coord.expect("an empty selection is refused", `main > .alert[role=alert]`, "tick at least one")
	ticked := rest[1:]
	ids := make([]string, len(ticked))
	for i, m := range ticked {
		ids[i] = m.ID
	}
	coord.choose(`input[form="bulk"][name="id"]`, ids...)
	coord.submit("approve the selected matches", `#bulk button[type=submit]`)
	coord.expect("the approval of the selection is confirmed", `main > .notice`, "selected matches have been approved")
	coord.open("/coord/rounds/" + round.ID)
	coord.expect("one match still waits", "section.undecided details.confirm summary", "Approve all 1 proposed matches")
	coord.act("open the approve-all confirmation", chromedp.Click(chromedp.CSS("section.undecided details.confirm summary")))
	coord.fill("#approve-all-note", "Checked against the partner list")
	coord.submit("approve all that wait", `form.approve-all button[type=submit]`)
	coord.expect("approve all is confirmed", `main > .notice[role=status]`, "Every proposed match is approved")
	apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID+"/matches?status=approved", s.coord, nil, &approved)
	got := map[string]bool{}
	for _, m := range approved.Items {
		got[m.ID] = true
	}
	for _, m := range rest {
		if !got[m.ID] {
			t.Errorf("match %s is not approved after the bulk approval", m.ID)
		}
	}
	if got[first.ID] || len(approved.Items) != len(rest) {
		t.Errorf("approved after the bulk approval: %v, want exactly the %d ticked", got, len(rest))
	}
}

// applicantOrdersAndWithdraws covers item 9: demo applicant B moves a
// choice to the first place in one step, and withdrawing asks first;
// applicant A, who accepts an offer, is not offered its withdrawal.
func applicantOrdersAndWithdraws(t *testing.T, p *uiPlatform, s *seeded) {
	// B applies until three applications are live (the demo gives fewer).
	var open struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/programs?open=true&pageSize=100", "", nil, &open)
	live := func() int {
		var mine struct {
			Items []struct {
				Status string `json:"status"`
			} `json:"items"`
		}
		apiCall(t, p.URL, http.MethodGet, "/applications/me", s.applicantB, nil, &mine)
		n := 0
		for _, a := range mine.Items {
			if a.Status != "withdrawn" {
				n++
			}
		}
		return n
	}
	for _, pr := range open.Items {
		if live() >= 3 {
			break
		}
		apiCall(t, p.URL, http.MethodPost, "/applications", s.applicantB, map[string]string{"programId": pr.ID}, nil)
	}
	if n := live(); n < 3 {
		t.Fatalf("applicant B holds %d live applications, want 3 to reorder", n)
	}

	person := openBrowser(t, p)
	b := person()
	b.open("/login")
	b.fill("#f-email", s.emailB)
	b.fill("#f-password", demo.Password)
	b.submit("applicant B logs in", `form[action="/login"] button[type=submit]`)
	b.open("/applications")
	last := b.eval(`document.querySelector("ol.ranklist > li:last-child h2").textContent.trim()`)
	b.choose(`ol.ranklist > li:last-child select[name=place]`, "1")
	b.submit("move the last choice to the first place in one step", `ol.ranklist > li:last-child form.move-to button`)
	b.expect("the ranking is saved", `main > .notice`, "saved")
	if first := b.eval(`document.querySelector("ol.ranklist > li:first-child h2").textContent.trim()`); first != last {
		t.Errorf("after moving %q to place 1 the first choice is %q", last, first)
	}

	// Withdrawal asks first: its real button shows only once asked for.
	hidden := `String(!document.querySelector("ol.ranklist > li:first-child details.confirm form button").checkVisibility())`
	if v := b.eval(hidden); v != "true" {
		t.Errorf("the withdraw button is visible before the applicant asks to withdraw")
	}
	b.act("ask to withdraw", chromedp.Click(chromedp.CSS(`ol.ranklist > li:first-child details.confirm > summary`)))
	b.expect("the question is asked", `ol.ranklist > li:first-child details.confirm form`, "Withdraw this application?")
	b.submit("confirm the withdrawal", `ol.ranklist > li:first-child details.confirm form button`)
	b.expect("the application is withdrawn", `main > .notice`, "withdrawn")
	if n := live(); n != 2 {
		t.Errorf("after one withdrawal applicant B holds %d live applications, want 2", n)
	}

	// A accepts the offer; that application offers no withdrawal.
	if s.matchA == "" {
		t.Fatal("applicant A has no offer to accept")
	}
	var m struct {
		ProgramID string `json:"programId"`
		Status    string `json:"status"`
	}
	apiCall(t, p.URL, http.MethodPost, "/matches/"+s.matchA+"/accept", s.applicantA, nil, &m)
	if m.Status != "accepted" {
		t.Fatalf("accepting applicant A's offer gave %+v", m)
	}
	a := person()
	a.open("/login")
	a.fill("#f-email", s.emailA)
	a.fill("#f-password", demo.Password)
	a.submit("applicant A logs in", `form[action="/login"] button[type=submit]`)
	a.open("/applications")
	accepted := fmt.Sprintf(`ol.ranklist > li:has(a[href="/programs/%s"])`, m.ProgramID)
	if got := a.eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, accepted)); got != "1" {
		t.Fatalf("applicant A's rank list shows the accepted program %s times, want once", got)
	}
	if got := a.eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, accepted+" details.confirm")); got != "0" {
		t.Errorf("the accepted offer's application still offers withdrawal")
	}
}

// feedbackApplicants has host A publish a program of five seats and n new
// applicants apply to it, and returns the program's id.
func feedbackApplicants(t *testing.T, p *uiPlatform, s *seeded, n int) string {
	t.Helper()
	var hostProgram struct {
		HostOrg string `json:"hostOrg"`
	}
	apiCall(t, p.URL, http.MethodGet, "/programs/"+s.programA, s.hostA, nil, &hostProgram)
	var program struct {
		ID string `json:"id"`
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/programs", s.hostA, matchProgramBody("Feedback lab", hostProgram.HostOrg, "JP", "Tokyo", 5, []string{"IN", "JP"}), &program); st != http.StatusCreated {
		t.Fatalf("create the feedback program = %d", st)
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/programs/"+program.ID+"/publish", s.hostA, nil, nil); st != http.StatusOK {
		t.Fatalf("publish the feedback program = %d", st)
	}
	for i := range n {
		email := fmt.Sprintf("feedback-%d@ui.example", i)
		if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]string{"email": email, "password": uiAdminPassword, "role": "applicant", "name": "Feedback Applicant"}, nil); st != http.StatusCreated {
			t.Fatalf("sign up %s = %d", email, st)
		}
		tok := apiLogin(t, p.URL, email, uiAdminPassword)
		if st := apiCall(t, p.URL, http.MethodPost, "/profiles", tok, matchProfileBody(fmt.Sprintf("Feedback Applicant %d", i), "IN"), nil); st != http.StatusCreated {
			t.Fatalf("profile of %s = %d", email, st)
		}
		// Matching learns of the program and the profile by events.
		eventually(t, 30*time.Second, email+" applies to the feedback program", func() bool {
			st := apiCall(t, p.URL, http.MethodPost, "/applications", tok, map[string]string{"programId": program.ID}, nil)
			return st == http.StatusCreated
		})
	}
	return program.ID
}
