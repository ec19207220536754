package matching_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/platformtest"
)

// reviewWorld is a program p1 of host h1 with applicants a1…a4 and a
// program p2 of host h2.
type reviewWorld struct {
	*world
	p1, p2 string
	apps   map[string]string // applicant → application id to p1
	h1, h2 string            // tokens
}

func newReviewWorld(t *testing.T) *reviewWorld {
	w := &reviewWorld{world: newWorld(t, fast), apps: map[string]string{}}
	p1, p2 := programSnap("p1-"+newID(), "h1", 2), programSnap("p2-"+newID(), "h2", 2)
	w.p1, w.p2 = p1.ID, p2.ID
	w.putProgram(p1, 1)
	w.putProgram(p2, 1)
	people := []string{"a1", "a2", "a3", "a4"}
	for i, a := range people {
		w.putProfile(profileSnap(a, "IN", i != 1), 1) // a2 did not consent to be shown
	}
	w.waitVersion("programs", w.p1, 1)
	w.waitVersion("programs", w.p2, 1)
	for _, a := range people {
		w.waitVersion("profiles", a, 1)
		var app apimatching.Application
		w.must(http.MethodPost, "/applications", w.app(a), apimatching.ApplyRequest{ProgramID: w.p1}, http.StatusCreated, &app)
		w.apps[a] = app.ID
	}
	w.h1, w.h2 = w.token("h1", auth.RoleHost), w.token("h2", auth.RoleHost)
	return w
}

func (w *reviewWorld) app(id string) string { return w.token(id, auth.RoleApplicant) }

func (w *reviewWorld) myApplication(who string) apimatching.Application {
	w.t.Helper()
	var page api.Page[apimatching.Application]
	w.must(http.MethodGet, "/applications/me", w.app(who), nil, http.StatusOK, &page)
	for _, a := range page.Items {
		if a.ID == w.apps[who] {
			return a
		}
	}
	w.t.Fatalf("GET /applications/me of %s lacks %s", who, w.apps[who])
	return apimatching.Application{}
}

// problemCode checks a problem's status and code.
func problemCode(t *testing.T, r platformtest.Response, status int, code string) {
	t.Helper()
	var p struct {
		Code   string `json:"code"`
		Detail string `json:"detail"`
	}
	r.JSON(t, &p)
	if r.Status != status || p.Code != code {
		t.Fatalf("answer %d %s, want %d with code %s", r.Status, r.Body, status, code)
	}
}

func TestReviewStages(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	a1, a2 := w.apps["a1"], w.apps["a2"]
	path := func(id, action string) string { return "/applications/" + id + "/" + action }

	// Who may move stages: the host of the program and coordinators.
	w.must(http.MethodPost, path(a1, "review"), w.h2, nil, http.StatusNotFound, nil)
	w.must(http.MethodPost, path(a1, "review"), w.app("a1"), nil, http.StatusForbidden, nil)
	// An invalid move names the current stage.
	r := w.do(http.MethodPost, path(a1, "shortlist"), w.h1, nil)
	problemCode(t, r, http.StatusConflict, "invalid_stage")
	if !strings.Contains(string(r.Body), "is submitted") {
		t.Errorf("shortlisting a submitted application: %s, want the current stage named", r.Body)
	}
	var rv apimatching.Review
	w.must(http.MethodPost, path(a1, "review"), w.h1, apimatching.StageRequest{Note: "strong ML background"}, http.StatusOK, &rv)
	if rv.Stage != "reviewing" || len(rv.History) != 1 || rv.History[0].Note != "strong ML background" {
		t.Errorf("after review: %+v, want reviewing with the host's note", rv)
	}
	w.must(http.MethodPost, path(a1, "shortlist"), w.coordinator(), nil, http.StatusOK, &rv)
	if rv.Stage != "shortlisted" || rv.History[1].ByRole != auth.RoleCoordinator {
		t.Errorf("after shortlist: %+v", rv)
	}
	w.must(http.MethodPost, path(a1, "shortlist"), w.h1, nil, http.StatusConflict, nil)

	// Pass: a reason is required, the code must be known.
	w.must(http.MethodPost, path(a2, "review"), w.h1, nil, http.StatusOK, nil)
	w.must(http.MethodPost, path(a2, "pass"), w.h1, apimatching.PassRequest{}, http.StatusBadRequest, nil)
	w.must(http.MethodPost, path(a2, "pass"), w.h1, apimatching.PassRequest{ReasonCode: "nope"}, http.StatusBadRequest, nil)
	w.must(http.MethodPost, path(a2, "pass"), w.h1, map[string]any{"reason": "x", "stage": "shortlisted"}, http.StatusBadRequest, nil)
	w.must(http.MethodPost, path(a2, "pass"), w.h1, apimatching.PassRequest{ReasonCode: matchingev.PassLanguage,
		Reason: "Japanese N2 is needed for the lab", Note: "private: weak interview"}, http.StatusOK, &rv)
	if rv.Stage != "not_shortlisted" {
		t.Errorf("after pass: %+v", rv)
	}

	// The applicant sees stage and history, never the private notes.
	mine := w.myApplication("a1")
	if mine.Stage != "shortlisted" || len(mine.History) != 2 || strings.Contains(fmt.Sprint(mine), "strong ML") {
		t.Errorf("a1 sees %+v, want shortlisted with 2 moves and no note", mine)
	}
	passed := w.myApplication("a2")
	last := passed.History[len(passed.History)-1]
	if passed.Stage != "not_shortlisted" || last.ReasonCode != matchingev.PassLanguage || last.Reason != "Japanese N2 is needed for the lab" || last.Note != "" {
		t.Errorf("a2 sees %+v, want the pass reason without the note", passed)
	}

	// The host's view of the program's applications: statements of those
	// who applied (a2 too, though not shown as a candidate), notes kept.
	var page api.Page[apimatching.Review]
	w.must(http.MethodGet, "/programs/"+w.p1+"/applications", w.h1, nil, http.StatusOK, &page)
	byID := map[string]apimatching.Review{}
	for _, it := range page.Items {
		byID[it.ApplicantID] = it
	}
	if len(page.Items) != 4 || byID["a2"].Statement == "" || byID["a2"].History[1].Note != "private: weak interview" {
		t.Errorf("host's applications = %+v", page.Items)
	}
	w.must(http.MethodGet, "/programs/"+w.p1+"/applications", w.h2, nil, http.StatusNotFound, nil)
	w.must(http.MethodGet, "/programs/"+w.p1+"/applications", w.app("a1"), nil, http.StatusForbidden, nil)

	// Every move left an application.staged event through the outbox.
	platformtest.Eventually(t, 15*time.Second, func() error {
		evs := platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.ApplicationStaged, Subject: a2})
		if len(evs) != 2 {
			return fmt.Errorf("%d application.staged events of a2, want 2", len(evs))
		}
		var p matchingev.ApplicationStaged
		if err := evs[1].Decode(&p); err != nil || p.Stage != "not_shortlisted" || p.Previous != "reviewing" ||
			p.ReasonCode != matchingev.PassLanguage || p.HostID != "h1" || evs[1].AggregateVersion != 3 {
			return fmt.Errorf("last event %+v v%d (%v)", p, evs[1].AggregateVersion, err)
		}
		return nil
	})
}

func TestApplicationDocuments(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	a1 := w.apps["a1"]
	docs := "/applications/" + a1 + "/documents"
	var app apimatching.Application
	w.must(http.MethodPut, docs, w.app("a1"), apimatching.DocumentsRequest{DocumentIDs: []string{"doc-1", "doc-2"}}, http.StatusOK, &app)
	if len(app.DocumentIDs) != 2 {
		t.Errorf("documents = %v", app.DocumentIDs)
	}
	w.must(http.MethodPut, docs, w.app("a2"), apimatching.DocumentsRequest{DocumentIDs: []string{"doc-9"}}, http.StatusNotFound, nil)
	w.must(http.MethodPut, docs, w.h1, apimatching.DocumentsRequest{DocumentIDs: []string{"doc-9"}}, http.StatusForbidden, nil)
	w.must(http.MethodPut, docs, w.app("a1"), apimatching.DocumentsRequest{DocumentIDs: []string{"d", "d"}}, http.StatusBadRequest, nil)
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprint("d", i)
	}
	w.must(http.MethodPut, docs, w.app("a1"), apimatching.DocumentsRequest{DocumentIDs: many}, http.StatusBadRequest, nil)
	if got := w.myApplication("a1").DocumentIDs; len(got) != 2 {
		t.Errorf("after refused changes the documents are %v, want the 2 attached", got)
	}

	// The host sees the statement and documents of applicants who applied.
	var cands api.Page[apimatching.Candidate]
	w.must(http.MethodGet, "/programs/"+w.p1+"/candidates", w.h1, nil, http.StatusOK, &cands)
	found := false
	for _, c := range cands.Items {
		if c.ApplicantID == "a1" {
			found = true
			if c.Statement == "" || len(c.DocumentIDs) != 2 || c.ApplicationID != a1 {
				t.Errorf("candidate a1 = %+v, want statement and 2 documents", c)
			}
		}
	}
	if !found {
		t.Errorf("a1 is not among the candidates %+v", cands.Items)
	}

	platformtest.Eventually(t, 15*time.Second, func() error {
		evs := platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.ApplicationDocuments, Subject: a1})
		if len(evs) != 1 {
			return fmt.Errorf("%d application.documents events, want 1", len(evs))
		}
		var p matchingev.ApplicationDocuments
		if err := evs[0].Decode(&p); err != nil || p.ApplicantID != "a1" || p.ProgramID != w.p1 || strings.Join(p.DocumentIDs, ",") != "doc-1,doc-2" {
			return fmt.Errorf("event %+v (%v)", p, err)
		}
		return nil
	})
}

// shortlist moves an application to shortlisted.
func (w *reviewWorld) shortlist(who string) {
	w.t.Helper()
	w.must(http.MethodPost, "/applications/"+w.apps[who]+"/review", w.h1, nil, http.StatusOK, nil)
	w.must(http.MethodPost, "/applications/"+w.apps[who]+"/shortlist", w.h1, nil, http.StatusOK, nil)
}

func TestInterviews(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	for _, a := range []string{"a1", "a3", "a4"} {
		w.shortlist(a)
	}
	slotsPath := "/programs/" + w.p1 + "/interview-slots"
	base := time.Now().UTC().Truncate(time.Minute)
	in3d, in5d, in10h := base.Add(72*time.Hour), base.Add(120*time.Hour), base.Add(10*time.Hour)

	// Validation: each rule named on its field; nothing stored on failure.
	r := w.do(http.MethodPost, slotsPath, w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: in3d, End: in3d.Add(-time.Minute), Mode: "online"},
		{Start: base.Add(-time.Hour), End: base, Mode: "online"},
		{Start: in5d, End: in5d.Add(time.Hour), Mode: "phone"},
		{Start: in5d, End: in5d.Add(time.Hour), Mode: "onsite"},
	}})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("bad slots = %d %s", r.Status, r.Body)
	}
	for _, f := range []string{"slots[0].end", "slots[1].start", "slots[2].mode", "slots[3].location"} {
		if !strings.Contains(string(r.Body), `"`+f+`"`) {
			t.Errorf("bad slots problem lacks %s: %s", f, r.Body)
		}
	}
	w.must(http.MethodPost, slotsPath, w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: in3d, End: in3d.Add(time.Hour), Mode: "online"}, {Start: in3d.Add(30 * time.Minute), End: in3d.Add(2 * time.Hour), Mode: "online"},
	}}, http.StatusBadRequest, nil)
	w.must(http.MethodPost, slotsPath, w.h2, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{{Start: in3d, End: in3d.Add(time.Hour), Mode: "online"}}}, http.StatusNotFound, nil)
	w.must(http.MethodPost, slotsPath, w.app("a1"), apimatching.SlotsRequest{}, http.StatusForbidden, nil)

	var created api.Page[apimatching.Slot]
	w.must(http.MethodPost, slotsPath, w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: in3d, End: in3d.Add(time.Hour), Mode: "online"},
		{Start: in5d, End: in5d.Add(time.Hour), Mode: "onsite", Location: "Tohoku University, Aoba campus"},
		{Start: in10h, End: in10h.Add(time.Hour), Mode: "online"},
	}}, http.StatusCreated, &created)
	if len(created.Items) != 3 {
		t.Fatalf("created %d slots", len(created.Items))
	}
	s3d, s5d, s10h := created.Items[0].ID, created.Items[1].ID, created.Items[2].ID
	// Overlapping an existing slot is refused too: a conflict with what is
	// stored (409), where an overlap inside one request is a 400.
	problemCode(t, w.do(http.MethodPost, slotsPath, w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: in3d.Add(-30 * time.Minute), End: in3d.Add(30 * time.Minute), Mode: "online"}}}), http.StatusConflict, "slot_overlap")
	w.must(http.MethodPost, slotsPath, w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: in3d.Add(24 * time.Hour), End: in3d.Add(25 * time.Hour), Mode: "online"},
		{Start: in3d.Add(24*time.Hour + 30*time.Minute), End: in3d.Add(26 * time.Hour), Mode: "online"}}}, http.StatusBadRequest, nil)

	// Who sees slots: shortlisted applicants the free ones, others none.
	var seen api.Page[apimatching.Slot]
	w.must(http.MethodGet, slotsPath, w.app("a1"), nil, http.StatusOK, &seen)
	if len(seen.Items) != 3 {
		t.Errorf("a1 sees %d slots, want 3 free", len(seen.Items))
	}
	w.must(http.MethodGet, slotsPath, w.app("a2"), nil, http.StatusNotFound, nil)
	w.must(http.MethodGet, slotsPath, w.h2, nil, http.StatusNotFound, nil)

	// Booking: only one's own shortlisted application; a slot holds one.
	book := func(who, slot string) platformtest.Response {
		return w.do(http.MethodPost, "/applications/"+w.apps[who]+"/interview", w.app(who), apimatching.BookRequest{SlotID: slot})
	}
	problemCode(t, book("a2", s3d), http.StatusConflict, "invalid_stage")
	w.must(http.MethodPost, "/applications/"+w.apps["a1"]+"/interview", w.app("a3"), apimatching.BookRequest{SlotID: s3d}, http.StatusNotFound, nil)
	w.must(http.MethodPost, "/applications/"+w.apps["a1"]+"/interview", w.h1, apimatching.BookRequest{SlotID: s3d}, http.StatusForbidden, nil)
	if r := book("a1", s3d); r.Status != http.StatusOK {
		t.Fatalf("a1 books = %d %s", r.Status, r.Body)
	}
	problemCode(t, book("a3", s3d), http.StatusConflict, "slot_taken")
	if got := w.myApplication("a1"); got.Stage != "interview_scheduled" || got.Interview == nil || !got.Interview.Start.Equal(in3d) {
		t.Errorf("a1's application = %+v", got)
	}
	w.must(http.MethodGet, slotsPath, w.app("a3"), nil, http.StatusOK, &seen)
	if len(seen.Items) != 2 {
		t.Errorf("a3 sees %d slots, want the 2 free ones", len(seen.Items))
	}

	// Two applicants racing for one slot: exactly one wins.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, who := range []string{"a3", "a4"} {
		wg.Go(func() { statuses[i] = book(who, s5d).Status })
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
		t.Errorf("racing bookings answered %v, want one 200 and one 409", statuses)
	}
	loser := "a4"
	if statuses[1] == 200 {
		loser = "a3"
	}
	// Cancelling: allowed up to a day before, refused later.
	if r := book(loser, s10h); r.Status != http.StatusOK {
		t.Fatalf("%s books the slot in 10 h = %d %s", loser, r.Status, r.Body)
	}
	problemCode(t, w.do(http.MethodDelete, "/applications/"+w.apps[loser]+"/interview", w.app(loser), nil), http.StatusConflict, "too_late")
	w.must(http.MethodDelete, "/applications/"+w.apps["a1"]+"/interview", w.app("a1"), nil, http.StatusOK, nil)
	if got := w.myApplication("a1"); got.Stage != "shortlisted" || got.Interview != nil {
		t.Errorf("after cancelling a1's application = %+v", got)
	}
	w.must(http.MethodPost, "/applications/"+w.apps["a1"]+"/interviewed", w.h1, nil, http.StatusConflict, nil)
	if r := book("a1", s3d); r.Status != http.StatusOK {
		t.Fatalf("a1 books the freed slot again = %d %s", r.Status, r.Body)
	}

	// interview.ics: RFC 5545, parsed back with the library.
	icsPath := "/applications/" + w.apps["a1"] + "/interview.ics"
	first := w.must(http.MethodGet, icsPath, w.app("a1"), nil, http.StatusOK, nil)
	second := w.must(http.MethodGet, icsPath, w.h1, nil, http.StatusOK, nil)
	cal, err := ics.ParseCalendar(strings.NewReader(string(first.Body)))
	if err != nil {
		t.Fatalf("parse interview.ics: %v\n%s", err, first.Body)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("interview.ics has %d events", len(evs))
	}
	ev := evs[0]
	start, err1 := ev.GetStartAt()
	end, err2 := ev.GetEndAt()
	stamp, err3 := ev.GetDtStampTime()
	if err1 != nil || err2 != nil || err3 != nil || !start.Equal(in3d) || !end.Equal(in3d.Add(time.Hour)) || stamp.IsZero() {
		t.Errorf("DTSTART %v DTEND %v DTSTAMP %v (%v %v %v), want the slot's times", start, end, stamp, err1, err2, err3)
	}
	for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDtStart, ics.ComponentPropertyDtEnd} {
		if v := ev.GetProperty(p).Value; !strings.HasSuffix(v, "Z") {
			t.Errorf("%s = %s, want UTC", p, v)
		}
	}
	if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.Contains(s.Value, "Program "+w.p1) {
		t.Errorf("SUMMARY = %v", s)
	}
	if ev.GetProperty(ics.ComponentPropertyLocation) == nil {
		t.Error("no LOCATION")
	}
	cal2, _ := ics.ParseCalendar(strings.NewReader(string(second.Body)))
	if cal2 == nil || len(cal2.Events()) != 1 || cal2.Events()[0].Id() != ev.Id() || ev.Id() == "" {
		t.Errorf("UID differs between downloads: %q", ev.Id())
	}
	w.must(http.MethodGet, icsPath, w.h2, nil, http.StatusNotFound, nil)
	w.must(http.MethodGet, icsPath, w.app("a3"), nil, http.StatusNotFound, nil)
	w.must(http.MethodGet, "/applications/"+w.apps["a2"]+"/interview.ics", w.app("a2"), nil, http.StatusNotFound, nil)

	var rv apimatching.Review
	w.must(http.MethodPost, "/applications/"+w.apps["a1"]+"/interviewed", w.h1, nil, http.StatusOK, &rv)
	if rv.Stage != "interviewed" {
		t.Errorf("after the interview: %+v", rv)
	}
	platformtest.Eventually(t, 15*time.Second, func() error {
		sched := platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.InterviewScheduled, Subject: w.apps["a1"]})
		canc := platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.InterviewCancelled, Subject: w.apps["a1"]})
		if len(sched) != 2 || len(canc) != 1 {
			return fmt.Errorf("%d interview.scheduled and %d interview.cancelled events of a1, want 2 and 1", len(sched), len(canc))
		}
		var p matchingev.InterviewScheduled
		if err := sched[1].Decode(&p); err != nil || p.Interview.SlotID != s3d || !p.Interview.Start.Equal(in3d) || p.HostID != "h1" {
			return fmt.Errorf("interview.scheduled = %+v (%v)", p, err)
		}
		return nil
	})
}

func TestMessages(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	a1 := w.apps["a1"]
	thread := "/applications/" + a1 + "/messages"
	var m apimatching.Message
	w.must(http.MethodPost, thread, w.h1, apimatching.MessageRequest{Body: "Could you send your transcript?"}, http.StatusCreated, &m)
	w.must(http.MethodPost, thread, w.app("a1"), apimatching.MessageRequest{Body: "Attached it now."}, http.StatusCreated, nil)
	w.must(http.MethodPost, thread, w.app("a1"), apimatching.MessageRequest{Body: "   "}, http.StatusBadRequest, nil)
	w.must(http.MethodPost, thread, w.app("a1"), apimatching.MessageRequest{Body: strings.Repeat("x", 5001)}, http.StatusBadRequest, nil)
	for _, tok := range []string{w.h2, w.app("a2")} {
		w.must(http.MethodGet, thread, tok, nil, http.StatusNotFound, nil)
		w.must(http.MethodPost, thread, tok, apimatching.MessageRequest{Body: "hi"}, http.StatusNotFound, nil)
	}
	for _, tok := range []string{w.app("a1"), w.h1, w.coordinator()} {
		var page api.Page[apimatching.Message]
		w.must(http.MethodGet, thread, tok, nil, http.StatusOK, &page)
		if len(page.Items) != 2 || page.Items[0].Body != "Could you send your transcript?" || page.Items[1].AuthorID != "a1" {
			t.Errorf("thread = %+v", page.Items)
		}
	}

	// Bulk: a host to their own program's applicants, each once.
	bulk := func(tok string, aud apimatching.Audience) platformtest.Response {
		return w.do(http.MethodPost, "/messages/bulk", tok, apimatching.BulkRequest{Audience: aud, Subject: "Interviews", Body: "Slots are open."})
	}
	var res apimatching.BulkResult
	r := bulk(w.h1, apimatching.Audience{ProgramID: w.p1})
	r.JSON(t, &res)
	if r.Status != http.StatusCreated || res.Recipients != 4 {
		t.Errorf("host's bulk message = %d %s, want 4 recipients", r.Status, r.Body)
	}
	if st := bulk(w.h1, apimatching.Audience{ProgramID: w.p2}).Status; st != http.StatusNotFound {
		t.Errorf("host to another host's program = %d, want 404", st)
	}
	if st := bulk(w.h1, apimatching.Audience{Stage: "submitted"}).Status; st != http.StatusForbidden {
		t.Errorf("host to every applicant = %d, want 403", st)
	}
	if st := bulk(w.app("a1"), apimatching.Audience{ProgramID: w.p1}).Status; st != http.StatusForbidden {
		t.Errorf("applicant's bulk message = %d, want 403", st)
	}
	if st := bulk(w.coordinator(), apimatching.Audience{}).Status; st != http.StatusBadRequest {
		t.Errorf("empty audience = %d, want 400", st)
	}
	// a1 applied to p2 too: a coordinator writing to both programs'
	// shortlisted applicants reaches a1 once.
	var app2 apimatching.Application
	w.must(http.MethodPost, "/applications", w.app("a1"), apimatching.ApplyRequest{ProgramID: w.p2}, http.StatusCreated, &app2)
	w.shortlist("a1")
	w.must(http.MethodPost, "/applications/"+app2.ID+"/review", w.h2, nil, http.StatusOK, nil)
	w.must(http.MethodPost, "/applications/"+app2.ID+"/shortlist", w.h2, nil, http.StatusOK, nil)
	r = bulk(w.coordinator(), apimatching.Audience{Stage: "shortlisted"})
	r.JSON(t, &res)
	if r.Status != http.StatusCreated || res.Recipients != 1 {
		t.Errorf("coordinator to shortlisted = %d %s, want 1 recipient (a1 once)", r.Status, r.Body)
	}
	var mine api.Page[apimatching.Message]
	w.must(http.MethodGet, "/messages/me", w.app("a1"), nil, http.StatusOK, &mine)
	if len(mine.Items) != 2 || mine.Items[0].Subject != "Interviews" {
		t.Errorf("a1's bulk messages = %+v", mine.Items)
	}
	w.must(http.MethodGet, "/messages/me", w.app("a3"), nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 {
		t.Errorf("a3's bulk messages = %+v, want the host's one", mine.Items)
	}

	platformtest.Eventually(t, 15*time.Second, func() error {
		evs := platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.MessageSent, Subject: res.MessageID})
		if len(evs) != 1 {
			return fmt.Errorf("%d message.sent events of the bulk message, want 1", len(evs))
		}
		var p matchingev.MessageSent
		if err := evs[0].Decode(&p); err != nil || !p.Bulk || strings.Join(p.RecipientIDs, ",") != "a1" || p.SenderRole != auth.RoleCoordinator {
			return fmt.Errorf("message.sent = %+v (%v)", p, err)
		}
		thread := platformtest.StreamEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Type: events.MessageSent, Subject: m.ID})
		if len(thread) != 1 {
			return fmt.Errorf("%d message.sent events of the host's message", len(thread))
		}
		if err := thread[0].Decode(&p); err != nil || p.ApplicationID != a1 || strings.Join(p.RecipientIDs, ",") != "a1" {
			return fmt.Errorf("thread message.sent = %+v (%v)", p, err)
		}
		return nil
	})
}
