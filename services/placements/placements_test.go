package placements_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	"github.com/talentbridge/platform/shared/platformtest"
)

var jan2027 = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

func tasksOf(t *testing.T, env testEnv, id, token string) map[string]api.Task {
	t.Helper()
	r := get(t, env, "/api/v1/placements/"+id+"/tasks", token)
	mustStatus(t, r, http.StatusOK, "GET tasks")
	var ts api.Tasks
	r.JSON(t, &ts)
	out := map[string]api.Task{}
	for _, task := range ts.Items {
		out[task.ID] = task
	}
	return out
}

// An accepted offer becomes one IN_JP placement with the program's dates
// and a checklist for both sides, even when offer.accepted arrives twice.
func TestOfferAcceptedMakesOnePlacement(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "fellowship")
	p := s.placement
	if p.Direction != placementsev.DirectionINJP || p.StartDate != s.start || p.EndDate != s.endDate ||
		p.ProgramID != s.programID || p.HostID != s.host.id || p.Status != api.StatusPreparing {
		t.Fatalf("placement = %+v", p)
	}
	// The same event again (a redelivery under a new message id).
	platformtest.PublishWithID(t, env.Deps.Bus, s.accepted, uuid.NewString())
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "placements-offers", 2)
	if got := waitMine(t, env, s.appl, 1); got[0].ID != p.ID {
		t.Fatalf("placement changed to %s", got[0].ID)
	}
	created := platformtest.WaitEvents(t, env.Deps.Bus, "PLACEMENTS", platformtest.EventFilter{Type: events.PlacementCreated}, 1)
	if len(created) != 1 || created[0].Subject != p.ID || created[0].AggregateVersion != 1 {
		t.Fatalf("placement.created events = %+v", created)
	}

	tasks := tasksOf(t, env, p.ID, s.appl.token)
	parties := map[string]int{}
	for _, task := range tasks {
		parties[task.Party]++
		if task.DueDate > s.endDate {
			t.Errorf("task %s due %s, after the end %s", task.ID, task.DueDate, s.endDate)
		}
		if task.Source.URL == "" || task.Titles["ja"] == "" || task.Status != api.TaskOpen {
			t.Errorf("task %+v lacks a source, a Japanese title or is not open", task)
		}
	}
	if parties["applicant"] == 0 || parties["host"] == 0 {
		t.Fatalf("tasks by party = %v, want applicant and host tasks", parties)
	}
	if coe := tasks["jp_coe_apply"]; coe.Party != "host" || coe.DueDate != "2027-02-21" {
		t.Errorf("Certificate of Eligibility task = %+v, want the host's, due 100 days before the start", coe)
	}
	if addr := tasks["jp_address"]; addr.DueDate != "2027-06-15" {
		t.Errorf("address registration due %s, want 14 days after arrival", addr.DueDate)
	}
}

// An offer whose program has not arrived yet is retried until it has.
func TestOfferBeforeProgramWaits(t *testing.T) {
	env := start(t, jan2027)
	host, appl := newPerson(t, env, auth.RoleHost), newPerson(t, env, auth.RoleApplicant)
	progID := uuid.NewString()
	profile(t, env, appl.id, "JP")
	accept(t, env, uuid.NewString(), appl.id, progID, host.id)
	time.Sleep(300 * time.Millisecond)
	program(t, env, progID, host.id, "IN", "joint_research", "2027-04-01", "2028-03-31", 1)
	p := waitMine(t, env, appl, 1)[0]
	if p.Direction != placementsev.DirectionJPIN {
		t.Fatalf("direction = %s, want JP_IN", p.Direction)
	}
	if _, ok := tasksOf(t, env, p.ID, appl.token)["in_frro"]; !ok {
		t.Fatal("a year in India has no FRRO registration task")
	}
}

// When the program's dates move, the due dates move with them; an older
// program event delivered late changes nothing.
func TestProgramUpdateReschedules(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "exchange")
	program(t, env, s.programID, s.host.id, "JP", "exchange", "2027-07-01", "2027-12-20", 2)
	platformtest.Eventually(t, 20*time.Second, func() error {
		if d := tasksOf(t, env, s.placement.ID, s.appl.token)["jp_coe_apply"].DueDate; d != "2027-03-23" {
			return errorf("CoE due %s, want 2027-03-23", d)
		}
		return nil
	})
	program(t, env, s.programID, s.host.id, "JP", "exchange", "2027-06-01", "2027-11-30", 1)
	platformtest.ConsumerSettled(t, env.Deps.Bus, "PROGRAMS", "placements-programs", 3)
	var p api.Placement
	get(t, env, "/api/v1/placements/"+s.placement.ID, s.appl.token).JSON(t, &p)
	if p.StartDate != "2027-07-01" {
		t.Fatalf("start date = %s after an older event, want 2027-07-01", p.StartDate)
	}
}
