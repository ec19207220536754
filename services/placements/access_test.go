package placements_test

import (
	"net/http"
	"testing"

	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
)

// Another user's placement is not there (404); a role the route does not
// serve is refused (403); the other side of a placement may see it but not
// do the other side's tasks (403).
func TestAccess(t *testing.T) {
	env := start(t, jan2027)
	s := newScenario(t, env, "fellowship")
	id := s.placement.ID
	base := "/api/v1/placements/" + id
	stranger := newPerson(t, env, auth.RoleApplicant)
	otherHost := newPerson(t, env, auth.RoleHost)

	for _, who := range []person{stranger, otherHost} {
		mustProblem(t, get(t, env, base, who.token), http.StatusNotFound, "not_found", "GET another's placement")
		mustProblem(t, get(t, env, base+"/tasks", who.token), http.StatusNotFound, "not_found", "GET another's tasks")
		mustProblem(t, post(t, env, base+"/tasks/jp_visa_apply/done", who.token, nil), http.StatusNotFound, "not_found",
			"POST done on another's task")
	}
	mustProblem(t, post(t, env, base+"/complete", otherHost.token, nil), http.StatusNotFound, "not_found", "another host completes")
	mustProblem(t, post(t, env, base+"/end", otherHost.token, api.EndRequest{Reason: "x"}), http.StatusNotFound, "not_found",
		"another host ends")

	// Roles.
	mustStatus(t, get(t, env, "/api/v1/placements", s.appl.token), http.StatusForbidden, "an applicant lists placements")
	mustStatus(t, post(t, env, base+"/complete", s.appl.token, nil), http.StatusForbidden, "the participant completes")
	mustStatus(t, post(t, env, base+"/feedback", s.coord.token, api.FeedbackRequest{Rating: 5}), http.StatusForbidden,
		"a coordinator leaves feedback")
	mustStatus(t, get(t, env, "/api/v1/placements/me", s.host.token), http.StatusForbidden, "a host asks for /placements/me")
	mustStatus(t, get(t, env, base, ""), http.StatusUnauthorized, "no token")

	// Each side's tasks.
	mustProblem(t, post(t, env, base+"/tasks/jp_coe_apply/done", s.appl.token, nil), http.StatusForbidden, "not_your_part",
		"the participant does the host's task")
	mustProblem(t, post(t, env, base+"/tasks/jp_visa_apply/done", s.host.token, nil), http.StatusForbidden, "not_your_part",
		"the host does the participant's task")
	mustProblem(t, post(t, env, base+"/tasks/no_such_task/done", s.appl.token, nil), http.StatusNotFound, "not_found", "unknown task")
	mustStatus(t, post(t, env, base+"/tasks/jp_coe_apply/done", s.host.token, api.TaskDoneRequest{Note: "filed at Sendai"}),
		http.StatusOK, "the host does its task")
	mustStatus(t, post(t, env, base+"/tasks/jp_visa_apply/done", s.coord.token, nil), http.StatusOK, "a coordinator does any task")
	mustProblem(t, post(t, env, base+"/tasks/jp_coe_apply/done", s.host.token, nil), http.StatusConflict, "task_done", "done twice")

	// Everyone with a part sees the same placement.
	for _, who := range []person{s.appl, s.host, s.coord} {
		mustStatus(t, get(t, env, base, who.token), http.StatusOK, "GET placement")
	}
	// The host lists its own programs' placements; another host sees none.
	var mine, theirs api.Placements
	r := get(t, env, "/api/v1/placements?programId="+s.programID, s.host.token)
	mustStatus(t, r, http.StatusOK, "host lists")
	r.JSON(t, &mine)
	get(t, env, "/api/v1/placements?programId="+s.programID, otherHost.token).JSON(t, &theirs)
	if len(mine.Items) != 1 || mine.Items[0].ID != id || len(theirs.Items) != 0 {
		t.Fatalf("host sees %d, another host %d placements; want 1 and 0", len(mine.Items), len(theirs.Items))
	}
	mustProblem(t, get(t, env, "/api/v1/placements?status=lost", s.coord.token), http.StatusBadRequest, "invalid_request",
		"unknown status")
}
