package matching_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/platformtest"
)

func (w *reviewWorld) addSlot(start time.Time) string {
	w.t.Helper()
	var created api.Page[apimatching.Slot]
	w.must(http.MethodPost, "/programs/"+w.p1+"/interview-slots", w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: start, End: start.Add(30 * time.Minute), Mode: "online"}}}, http.StatusCreated, &created)
	return created.Items[0].ID
}

func (w *reviewWorld) hostSlots() []apimatching.Slot {
	w.t.Helper()
	var page api.Page[apimatching.Slot]
	w.must(http.MethodGet, "/programs/"+w.p1+"/interview-slots", w.h1, nil, http.StatusOK, &page)
	return page.Items
}

// A host cancels a booked slot: the applicant's interview goes with it
// (back to shortlisted, interview.cancelled out, no calendar file), even
// within the day before, when the applicant could no longer cancel.
func TestCancellingASlotWithdrawsItsBooking(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	w.shortlist("a1")
	soon := time.Now().UTC().Add(5 * time.Hour).Truncate(time.Minute)
	slot := w.addSlot(soon)
	later := w.addSlot(soon.Add(48 * time.Hour))
	w.must(http.MethodPost, "/applications/"+w.apps["a1"]+"/interview", w.app("a1"), apimatching.BookRequest{SlotID: slot}, http.StatusOK, nil)

	path := "/programs/" + w.p1 + "/interview-slots/" + slot
	w.must(http.MethodDelete, path, w.h2, nil, http.StatusNotFound, nil)
	w.must(http.MethodDelete, "/programs/"+w.p2+"/interview-slots/"+slot, w.h2, nil, http.StatusNotFound, nil)
	w.must(http.MethodDelete, path, w.app("a1"), nil, http.StatusForbidden, nil)
	w.must(http.MethodDelete, path, w.h1, nil, http.StatusNoContent, nil)
	w.must(http.MethodDelete, path, w.h1, nil, http.StatusNotFound, nil)

	if got := w.myApplication("a1"); got.Stage != "shortlisted" || got.Interview != nil {
		t.Fatalf("after the host cancelled the slot a1's application = %+v, want shortlisted without an interview", got)
	}
	w.must(http.MethodGet, "/applications/"+w.apps["a1"]+"/interview.ics", w.app("a1"), nil, http.StatusNotFound, nil)
	for _, s := range w.hostSlots() {
		if s.ID == slot {
			t.Fatalf("the cancelled slot is still listed: %+v", s)
		}
	}
	evs := platformtest.WaitEvents(t, w.env.Deps.Bus, "MATCHING", platformtest.EventFilter{Subject: w.apps["a1"], Type: events.InterviewCancelled}, 1)
	if len(evs) != 1 {
		t.Fatalf("interview.cancelled events = %d, want 1", len(evs))
	}
	// The applicant books another slot as usual.
	w.must(http.MethodPost, "/applications/"+w.apps["a1"]+"/interview", w.app("a1"), apimatching.BookRequest{SlotID: later}, http.StatusOK, nil)
}

// A booking racing with the slot's cancellation never leaves an
// application holding an interview whose slot is gone.
func TestABookingRacingTheSlotsCancellationLeavesNoOrphan(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	w.shortlist("a1")
	base := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute)
	booked := 0
	for i := range 8 {
		slot := w.addSlot(base.Add(time.Duration(i) * time.Hour))
		var wg sync.WaitGroup
		var book, cancel platformtest.Response
		wg.Go(func() {
			book = w.do(http.MethodPost, "/applications/"+w.apps["a1"]+"/interview", w.app("a1"), apimatching.BookRequest{SlotID: slot})
		})
		wg.Go(func() { cancel = w.do(http.MethodDelete, "/programs/"+w.p1+"/interview-slots/"+slot, w.h1, nil) })
		wg.Wait()
		if cancel.Status != http.StatusNoContent {
			t.Fatalf("round %d: cancel = %d %s", i, cancel.Status, cancel.Body)
		}
		if book.Status != http.StatusOK && book.Status != http.StatusNotFound && book.Status != http.StatusConflict {
			t.Fatalf("round %d: book = %d %s", i, book.Status, book.Body)
		}
		if book.Status == http.StatusOK {
			booked++
		}
		if got := w.myApplication("a1"); got.Interview != nil || got.Stage != "shortlisted" {
			t.Fatalf("round %d (book %d): the slot is cancelled but a1's application = %+v", i, book.Status, got)
		}
	}
	t.Logf("%d of 8 bookings landed before their slot's cancellation", booked)
}

// Two overlapping slots sent at the same moment by the same host: one is
// stored, the other gets 409, and the program never holds an overlap.
func TestOverlappingSlotsSentAtOnceGiveOneConflict(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	base := time.Now().UTC().Add(96 * time.Hour).Truncate(time.Minute)
	for i := range 5 {
		start := base.Add(time.Duration(i) * 3 * time.Hour)
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		for k := range 2 {
			at := start.Add(time.Duration(k) * 15 * time.Minute)
			wg.Go(func() {
				statuses[k] = w.do(http.MethodPost, "/programs/"+w.p1+"/interview-slots", w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
					{Start: at, End: at.Add(time.Hour), Mode: "online"}}}).Status
			})
		}
		wg.Wait()
		if !(statuses[0] == 201 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 201) {
			t.Fatalf("round %d: overlapping slots at once answered %v, want one 201 and one 409", i, statuses)
		}
	}
	slots := w.hostSlots()
	if len(slots) != 5 {
		t.Fatalf("the program holds %d slots, want 5", len(slots))
	}
	for i, s := range slots {
		for _, o := range slots[i+1:] {
			if s.Start.Before(o.End) && o.Start.Before(s.End) {
				t.Fatalf("stored slots overlap: %s–%s and %s–%s", s.Start, s.End, o.Start, o.End)
			}
		}
	}
}
