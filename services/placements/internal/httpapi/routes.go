// Package httpapi serves the placements part of the public API (DESIGN.md
// §3 "Placements"):
//
//	GET  /placements/me                          applicants          one's own placements
//	GET  /placements?programId=&status=          hosts, coordinators a host's own programs' placements; coordinators all; status at-risk = overdue tasks
//	GET  /placements/{id}                        signed in           the participant, the host, coordinators; else 404
//	GET  /placements/{id}/tasks                  signed in           the checklist, as above
//	POST /placements/{id}/tasks/{taskId}/done    signed in           the task's party or a coordinator; the other side 403
//	POST /placements/{id}/complete               hosts, coordinators the placement's host or a coordinator
//	POST /placements/{id}/end                    hosts, coordinators ended early, with a reason
//	POST /placements/{id}/feedback               applicants, hosts   each side once, after the end (409 on the second)
//	GET  /placements/{id}/visa                   signed in           the visa pathway, as GET /placements/{id}
//	GET  /stats/exchanges[.csv]?groupBy=&from=&to= anyone            public statistics, small counts suppressed
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/placements/internal/app"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serve the routes.
type Handlers struct {
	App *app.Service
}

// Table is the access table: every route of shared/api/placements with
// its handler and what it takes and answers.
func (h *Handlers) Table() []auth.Route {
	r := api.Routes
	return append([]auth.Route{
		r.Mine.Serve(h.mine, &auth.Doc{Summary: "One's own placements, newest first", Response: api.Placements{}}),
		r.List.Serve(h.list, &auth.Doc{Summary: "Placements of the host's programs (coordinators: all), by program and status; status at-risk lists those with overdue tasks",
			Response: api.Placements{}}),
		r.Read.Serve(h.read, &auth.Doc{Summary: "A placement, with its task counts, feedback and audit trail", Response: api.Placement{}}),
		r.Tasks.Serve(h.tasks, &auth.Doc{Summary: "A placement's checklist with due dates and sources", Response: api.Tasks{}}),
		r.TaskDone.Serve(h.taskDone, &auth.Doc{Summary: "Mark a task done (its party or a coordinator)", Request: api.TaskDoneRequest{},
			RequestOptional: true, Response: api.Task{}, Errors: []int{409}}),
		r.Complete.Serve(h.complete, &auth.Doc{Summary: "Mark a placement completed (its host or a coordinator)", Response: api.Placement{}, Errors: []int{409}}),
		r.End.Serve(h.end, &auth.Doc{Summary: "End a placement early, with a reason (its host or a coordinator)", Request: api.EndRequest{},
			Response: api.Placement{}, Errors: []int{409}}),
		r.Feedback.Serve(h.feedback, &auth.Doc{Summary: "Leave feedback on a finished placement (the participant and the host, once each)",
			Request: api.FeedbackRequest{}, Status: http.StatusCreated, Response: api.Placement{}, Errors: []int{409}}),
	}, h.visaAndStats()...)
}

// Register adds the routes to the /api/v1 group.
func (h *Handlers) Register(g *echo.Group, v *auth.Verifier) {
	auth.Register(g, v, h.Table())
}
