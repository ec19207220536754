// Package programs is the public API of the programs service (DESIGN.md §3).
package programs

import (
	"net/http"

	"github.com/talentbridge/platform/shared/auth"
)

// Routes are the service's routes: its access table serves them and the
// gateway forwards them in split mode. Object-level rules (a host's own
// programs, drafts seen only by their host) are the service's business
// and answer 404.
var Routes = struct {
	Search, Create, Import, Get, Update, Publish, Close auth.Endpoint
	// Saved searches of applicants (DESIGN.md §3 /searches).
	SaveSearch, MySearches, DeleteSearch auth.Endpoint
}{
	Search:  auth.Endpoint{Method: http.MethodGet, Path: "/programs", Policy: auth.Anyone},
	Create:  auth.Endpoint{Method: http.MethodPost, Path: "/programs", Policy: auth.Hosts},
	Import:  auth.Endpoint{Method: http.MethodPost, Path: "/programs/import", Policy: auth.Hosts, CSVBody: true},
	Get:     auth.Endpoint{Method: http.MethodGet, Path: "/programs/:id", Policy: auth.Anyone},
	Update:  auth.Endpoint{Method: http.MethodPut, Path: "/programs/:id", Policy: auth.Hosts},
	Publish: auth.Endpoint{Method: http.MethodPost, Path: "/programs/:id/publish", Policy: auth.Hosts},
	Close:   auth.Endpoint{Method: http.MethodPost, Path: "/programs/:id/close", Policy: auth.HostsAndCoords},

	SaveSearch:   auth.Endpoint{Method: http.MethodPost, Path: "/searches", Policy: auth.Applicants},
	MySearches:   auth.Endpoint{Method: http.MethodGet, Path: "/searches/me", Policy: auth.Applicants},
	DeleteSearch: auth.Endpoint{Method: http.MethodDelete, Path: "/searches/:id", Policy: auth.Applicants},
}
