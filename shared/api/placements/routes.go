package placements

import (
	"net/http"

	"github.com/talentbridge/platform/shared/auth"
)

// ApplicantsAndHosts may leave feedback.
var ApplicantsAndHosts = auth.Policy{Roles: []string{auth.RoleApplicant, auth.RoleHost}}

// Routes are the service's routes: its access table serves them and the
// gateway forwards them in split mode. Who may touch which placement is
// decided per object besides (DESIGN.md §3 "Placements").
var Routes = struct {
	Mine, List, Read, Tasks, TaskDone, Complete, End, Feedback auth.Endpoint
	// Visa is the visa pathway (same access as Read); Stats and StatsCSV
	// the public exchange statistics, no sign-in.
	Visa, Stats, StatsCSV auth.Endpoint
}{
	Mine:     auth.Endpoint{Method: http.MethodGet, Path: "/placements/me", Policy: auth.Applicants},
	List:     auth.Endpoint{Method: http.MethodGet, Path: "/placements", Policy: auth.HostsAndCoords},
	Read:     auth.Endpoint{Method: http.MethodGet, Path: "/placements/:id", Policy: auth.SignedIn},
	Tasks:    auth.Endpoint{Method: http.MethodGet, Path: "/placements/:id/tasks", Policy: auth.SignedIn},
	TaskDone: auth.Endpoint{Method: http.MethodPost, Path: "/placements/:id/tasks/:taskId/done", Policy: auth.SignedIn},
	Complete: auth.Endpoint{Method: http.MethodPost, Path: "/placements/:id/complete", Policy: auth.HostsAndCoords},
	End:      auth.Endpoint{Method: http.MethodPost, Path: "/placements/:id/end", Policy: auth.HostsAndCoords},
	Feedback: auth.Endpoint{Method: http.MethodPost, Path: "/placements/:id/feedback", Policy: ApplicantsAndHosts},
	Visa:     auth.Endpoint{Method: http.MethodGet, Path: "/placements/:id/visa", Policy: auth.SignedIn},
	Stats:    auth.Endpoint{Method: http.MethodGet, Path: "/stats/exchanges", Policy: auth.Anyone},
	StatsCSV: auth.Endpoint{Method: http.MethodGet, Path: "/stats/exchanges.csv", Policy: auth.Anyone},
}
