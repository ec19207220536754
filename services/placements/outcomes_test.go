package placements_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/events"
	identityev "github.com/talentbridge/platform/shared/events/identity"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

// The host completes; feedback opens then, once per side; everything is
// audited and announced.
func TestCompleteAndFeedback(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "fellowship")
	base := "/api/v1/placements/" + s.placement.ID
	mustProblem(t, post(t, env, base+"/feedback", s.appl.token, api.FeedbackRequest{Rating: 4}), http.StatusConflict,
		"placement_not_finished", "feedback before the end")
	r := post(t, env, base+"/complete", s.host.token, nil)
	mustStatus(t, r, http.StatusOK, "complete")
	var p api.Placement
	r.JSON(t, &p)
	if p.Status != api.StatusCompleted {
		t.Fatalf("status = %s, want completed", p.Status)
	}
	mustProblem(t, post(t, env, base+"/end", s.coord.token, api.EndRequest{Reason: "late"}), http.StatusConflict,
		"placement_finished", "end after completion")
	mustProblem(t, post(t, env, base+"/tasks/jp_address/done", s.appl.token, nil), http.StatusConflict,
		"placement_finished", "a task after completion")

	for _, bad := range []api.FeedbackRequest{{Rating: 0}, {Rating: 6}, {Rating: 3, Comment: strings.Repeat("x", api.MaxComment+1)}} {
		r := post(t, env, base+"/feedback", s.appl.token, bad)
		mustProblem(t, r, http.StatusBadRequest, "invalid_request", "bad feedback")
	}
	mustStatus(t, post(t, env, base+"/feedback", s.appl.token, api.FeedbackRequest{Rating: 5, Comment: "Great lab"}),
		http.StatusCreated, "participant's feedback")
	mustProblem(t, post(t, env, base+"/feedback", s.appl.token, api.FeedbackRequest{Rating: 1}), http.StatusConflict,
		"feedback_given", "second feedback")
	mustStatus(t, post(t, env, base+"/feedback", s.host.token, api.FeedbackRequest{Rating: 4}), http.StatusCreated, "host's feedback")

	get(t, env, base, s.coord.token).JSON(t, &p)
	if len(p.Feedback) != 2 || p.Feedback[0].Rating != 5 || p.Feedback[0].Comment != "Great lab" || p.Feedback[1].Party != "host" {
		t.Fatalf("feedback = %+v", p.Feedback)
	}
	actions := map[string]string{}
	for _, h := range p.History {
		actions[h.Action] = h.ActorID
	}
	if actions["completed"] != s.host.id || actions["feedback"] == "" || actions["created"] != s.appl.id {
		t.Fatalf("audit trail = %+v", p.History)
	}
	evs := platformtest.WaitEvents(t, env.Deps.Bus, "PLACEMENTS", platformtest.EventFilter{Type: events.PlacementCompleted}, 1)
	var fin placementsev.PlacementFinished
	if err := evs[0].Decode(&fin); err != nil || fin.ActorID != s.host.id || fin.Status != api.StatusCompleted || evs[0].AggregateVersion != 2 {
		t.Fatalf("placement.completed = %+v (v%d), %v", fin, evs[0].AggregateVersion, err)
	}
}

// Ending early needs a reason, which stays in the service; placement.ended
// carries none.
func TestEndEarly(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "internship")
	base := "/api/v1/placements/" + s.placement.ID
	mustProblem(t, post(t, env, base+"/end", s.host.token, api.EndRequest{Reason: "  "}), http.StatusBadRequest,
		"invalid_request", "end without a reason")
	mustProblem(t, post(t, env, base+"/end", s.host.token, map[string]any{"reason": "x", "status": "completed"}),
		http.StatusBadRequest, "invalid_request", "end with a status")
	r := post(t, env, base+"/end", s.coord.token, api.EndRequest{Reason: "visa refused"})
	mustStatus(t, r, http.StatusOK, "end")
	var p api.Placement
	r.JSON(t, &p)
	if p.Status != api.StatusEnded || p.EndReason != "visa refused" {
		t.Fatalf("placement = %+v", p)
	}
	evs := platformtest.WaitEvents(t, env.Deps.Bus, "PLACEMENTS", platformtest.EventFilter{Type: events.PlacementEnded}, 1)
	if strings.Contains(string(evs[0].Data), "visa refused") {
		t.Fatal("placement.ended carries the reason")
	}
}

// An open task past its due date makes the placement at risk and is
// announced to its party once.
func TestOverdueTasks(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "fellowship")
	var atRisk api.Placements
	get(t, env, "/api/v1/placements?status=at-risk", s.coord.token).JSON(t, &atRisk)
	if len(atRisk.Items) != 0 {
		t.Fatalf("%d placements at risk before any due date", len(atRisk.Items))
	}
	env.clock.Advance(45 * 24 * time.Hour) // 2027-02-24: the CoE application (due 02-21) is late
	evs := platformtest.WaitEvents(t, env.Deps.Bus, "PLACEMENTS", platformtest.EventFilter{Type: events.TaskOverdue}, 1)
	time.Sleep(500 * time.Millisecond) // several sweeps
	evs = platformtest.StreamEvents(t, env.Deps.Bus, "PLACEMENTS", platformtest.EventFilter{Type: events.TaskOverdue})
	if len(evs) != 1 {
		t.Fatalf("%d task.overdue events, want 1", len(evs))
	}
	var o placementsev.TaskOverdue
	if err := evs[0].Decode(&o); err != nil || o.TaskID != "jp_coe_apply" || o.RecipientID != s.host.id {
		t.Fatalf("task.overdue = %+v, %v", o, err)
	}
	r := get(t, env, "/api/v1/placements?status=at-risk", s.coord.token)
	r.JSON(t, &atRisk)
	if len(atRisk.Items) != 1 || atRisk.Items[0].OverdueTasks != 1 || !atRisk.Items[0].AtRisk {
		t.Fatalf("at-risk list = %s", r.Body)
	}
	mustStatus(t, post(t, env, "/api/v1/placements/"+s.placement.ID+"/tasks/jp_coe_apply/done", s.host.token, nil),
		http.StatusOK, "late task done")
	atRisk = api.Placements{}
	get(t, env, "/api/v1/placements?status=at-risk", s.coord.token).JSON(t, &atRisk)
	if len(atRisk.Items) != 0 {
		t.Fatalf("still at risk after the task was done: %+v", atRisk.Items)
	}
}

// The export holds the participant's placements; erasure leaves ids,
// dates and counts only, and an erased account's later events change
// nothing.
func TestExportAndErasure(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "fellowship")
	base := "/api/v1/placements/" + s.placement.ID
	mustStatus(t, post(t, env, base+"/tasks/jp_visa_apply/done", s.appl.token, api.TaskDoneRequest{Note: "passport no. X123"}),
		http.StatusOK, "done")
	mustStatus(t, post(t, env, base+"/end", s.host.token, api.EndRequest{Reason: "family emergency of Asha"}), http.StatusOK, "end")
	mustStatus(t, post(t, env, base+"/feedback", s.appl.token, api.FeedbackRequest{Rating: 2, Comment: "my comment"}),
		http.StatusCreated, "feedback")

	raw := exportOf(t, env, s.appl.id)
	for _, want := range []string{s.placement.ID, "passport no. X123", "my comment", "jp_coe_apply"} {
		if !strings.Contains(raw, want) {
			t.Errorf("export lacks %q:\n%s", want, raw)
		}
	}

	publish(t, env, platformtest.Event(t, profilesev.Source, events.ProfileErased, s.appl.id, 9,
		profilesev.ProfileErased{ProfileID: s.appl.id}))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "PROFILES", "placements-profile-erased", 1)
	var p api.Placement
	r := get(t, env, base, s.coord.token)
	r.JSON(t, &p)
	for _, gone := range []string{"passport no. X123", "my comment", "family emergency"} {
		if strings.Contains(string(r.Body), gone) {
			t.Errorf("after erasure the placement still holds %q", gone)
		}
	}
	if !p.Erased || p.ID != s.placement.ID || p.Status != api.StatusEnded || len(p.Feedback) != 1 || p.Feedback[0].Rating != 2 {
		t.Fatalf("erased placement = %+v", p)
	}
	// A second erasure (user.deleted) changes nothing more.
	publish(t, env, platformtest.Event(t, identityev.Source, events.UserDeleted, s.appl.id, 3,
		identityev.UserDeleted{UserID: s.appl.id, Role: "applicant", DeletedAt: time.Now().UTC()}))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "IDENTITY", "placements-user-deleted", 1)
	var again api.Placement
	get(t, env, base, s.coord.token).JSON(t, &again)
	if len(again.History) != len(p.History) {
		t.Fatalf("a second erasure added %d audit entries", len(again.History)-len(p.History))
	}
}

// exportOf asks the service's export responder as the profiles service does.
func exportOf(t *testing.T, env testEnv, userID string) string {
	t.Helper()
	body, _ := json.Marshal(profilesev.ExportRequest{UserID: userID})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msg, err := env.Deps.Bus.NC.RequestWithContext(ctx, profilesev.ExportSubject(placementsev.Service), body)
	if err != nil {
		t.Fatal(err)
	}
	var part profilesev.ExportPart
	if err := json.Unmarshal(msg.Data, &part); err != nil || part.Error != "" {
		t.Fatalf("export part: %s, %v", msg.Data, err)
	}
	return string(part.Data)
}
