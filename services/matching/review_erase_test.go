package matching_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/api"
	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestReviewExportAndErasure: the stages, messages and interview bookings
// of a person are in matching's export part; after erasure their messages
// keep only ids, their slot is free again, and nothing of the thread's text
// about them remains.
func TestReviewExportAndErasure(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	a1 := w.apps["a1"]
	w.shortlist("a1")
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Minute)
	var slots api.Page[apimatching.Slot]
	w.must(http.MethodPost, "/programs/"+w.p1+"/interview-slots", w.h1, apimatching.SlotsRequest{Slots: []apimatching.SlotInput{
		{Start: start, End: start.Add(time.Hour), Mode: "online"}}}, http.StatusCreated, &slots)
	w.must(http.MethodPost, "/applications/"+a1+"/interview", w.app("a1"), apimatching.BookRequest{SlotID: slots.Items[0].ID}, http.StatusOK, nil)
	w.must(http.MethodPost, "/applications/"+a1+"/messages", w.app("a1"), apimatching.MessageRequest{Body: "My phone is 98400 12345"}, http.StatusCreated, nil)
	w.must(http.MethodPost, "/applications/"+a1+"/messages", w.h1, apimatching.MessageRequest{Body: "Thanks Asha, see you on Monday"}, http.StatusCreated, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msg, err := w.env.Deps.Bus.NC.RequestWithContext(ctx, profilesev.ExportSubject(profilesev.ServiceMatching), []byte(`{"userId":"a1"}`))
	if err != nil {
		t.Fatalf("export request: %v", err)
	}
	var part profilesev.ExportPart
	platformtest.DecodeJSON(t, msg.Data, &part)
	var data struct {
		Applications []struct {
			Stage   string `json:"stage"`
			History []struct {
				Stage string `json:"stage"`
			} `json:"history"`
		} `json:"applications"`
		Messages []struct {
			Body string `json:"body"`
		} `json:"messages"`
		InterviewSlots []struct {
			ID string `json:"id"`
		} `json:"interviewSlots"`
	}
	platformtest.DecodeJSON(t, part.Data, &data)
	if len(data.Applications) != 1 || data.Applications[0].Stage != "interview_scheduled" || len(data.Applications[0].History) != 3 ||
		len(data.Messages) != 2 || len(data.InterviewSlots) != 1 || data.InterviewSlots[0].ID != slots.Items[0].ID {
		t.Fatalf("a1's export = %+v, want the stages, 2 messages and the booked slot", data)
	}

	w.erase("a1", 2)
	db := w.env.Deps.DB(matching.Database)
	platformtest.Eventually(t, 15*time.Second, func() error {
		n, err := db.Collection("applications").CountDocuments(context.Background(), bson.D{{Key: "applicantId", Value: "a1"}})
		if err != nil || n != 0 {
			return fmt.Errorf("%d applications of a1 remain (%v)", n, err)
		}
		return nil
	})
	var msgs []bson.M
	cur, err := db.Collection("messages").Find(context.Background(), bson.D{{Key: "applicationId", Value: a1}})
	if err != nil || cur.All(context.Background(), &msgs) != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages of the thread remain, want 2 kept as ids", len(msgs))
	}
	for _, m := range msgs {
		if m["body"] != "" || m["erased"] != true || m["_id"] == "" || m["authorId"] == "" {
			t.Errorf("message after erasure = %v, want ids only", m)
		}
	}
	var slot bson.M
	if err := db.Collection("interview_slots").FindOne(context.Background(), bson.D{{Key: "_id", Value: slots.Items[0].ID}}).Decode(&slot); err != nil {
		t.Fatal(err)
	}
	if slot["applicantId"] != "" || slot["applicationId"] != "" {
		t.Errorf("slot after erasure = %v, want free", slot)
	}
	raw, _ := bson.MarshalExtJSON(bson.M{"m": msgs, "s": slot}, false, false)
	for _, s := range []string{"98400", "Asha"} {
		if strings.Contains(string(raw), s) {
			t.Errorf("%q remains after erasure: %s", s, raw)
		}
	}
}

// An erased host's messages: the thread stays for the applicant, in
// order, with the applicant's own words; each of the host's messages keeps
// its place, id, time and role but loses its words, and no message of the
// host's, in a thread or sent in bulk, holds them any more.
func TestAnErasedHostsMessagesKeepTheirPlaceButNotTheirWords(t *testing.T) {
	t.Parallel()
	w := newReviewWorld(t)
	a1 := w.apps["a1"]
	w.must(http.MethodPost, "/applications/"+a1+"/messages", w.app("a1"), apimatching.MessageRequest{Body: "Is the lab open in July?"}, http.StatusCreated, nil)
	w.must(http.MethodPost, "/applications/"+a1+"/messages", w.h1, apimatching.MessageRequest{Body: "Yes - call me on 090-5555-0142, Dr Hiro Tanaka"}, http.StatusCreated, nil)
	w.must(http.MethodPost, "/messages/bulk", w.h1, apimatching.BulkRequest{Audience: apimatching.Audience{ProgramID: w.p1},
		Subject: "From Dr Hiro Tanaka", Body: "Office hours with Dr Hiro Tanaka"}, http.StatusCreated, nil)
	w.must(http.MethodPost, "/applications/"+a1+"/messages", w.app("a1"), apimatching.MessageRequest{Body: "Thank you!"}, http.StatusCreated, nil)

	deleted := platformtest.Event(t, "identity", events.UserDeleted, "h1", 3,
		identity.UserDeleted{UserID: "h1", Role: auth.RoleHost, DeletedAt: time.Now().UTC()})
	publish(t, w.env, deleted, deleted.ID)
	// The thread and the bulk messages are emptied by separate writes:
	// wait for both.
	var thread, bulk api.Page[apimatching.Message]
	platformtest.Eventually(t, 60*time.Second, func() error {
		w.must(http.MethodGet, "/applications/"+a1+"/messages", w.app("a1"), nil, http.StatusOK, &thread)
		if len(thread.Items) != 3 || !thread.Items[1].Erased {
			return fmt.Errorf("thread = %+v", thread.Items)
		}
		w.must(http.MethodGet, "/messages/me", w.app("a2"), nil, http.StatusOK, &bulk)
		if len(bulk.Items) != 1 || !bulk.Items[0].Erased {
			return fmt.Errorf("bulk = %+v", bulk.Items)
		}
		return nil
	})
	mine, host := thread.Items[0], thread.Items[1]
	if mine.Body != "Is the lab open in July?" || thread.Items[2].Body != "Thank you!" || mine.Erased {
		t.Errorf("the applicant's own messages = %+v, %+v; want them whole", mine, thread.Items[2])
	}
	if host.Body != "" || host.AuthorRole != auth.RoleHost || host.AuthorID != "h1" || host.SentAt.IsZero() {
		t.Errorf("the erased host's message = %+v, want its place, role and time without words", host)
	}
	if len(bulk.Items) != 1 || bulk.Items[0].Body != "" || bulk.Items[0].Subject != "" || !bulk.Items[0].Erased {
		t.Errorf("the erased host's bulk message = %+v, want it without subject or body", bulk.Items)
	}
	// Nothing the host wrote remains in the messages collection.
	coll := w.env.Deps.DB(matching.Database).Collection("messages")
	n, err := coll.CountDocuments(context.Background(), bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "body", Value: bson.D{{Key: "$regex", Value: "Tanaka"}}}},
		bson.D{{Key: "subject", Value: bson.D{{Key: "$regex", Value: "Tanaka"}}}}}}})
	if err != nil || n != 0 {
		t.Fatalf("messages still naming the host: %d (%v)", n, err)
	}
}
