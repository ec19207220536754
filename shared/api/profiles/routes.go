// Package profiles is the public API of the profiles service (DESIGN.md §3).
package profiles

import (
	"net/http"

	"github.com/talentbridge/platform/shared/auth"
)

// Routes are the service's routes: its access table serves them and the
// gateway forwards them in split mode.
var Routes = struct {
	ConsentNotice, Create, Mine, Revise, Erase, Export, Read, List, Import auth.Endpoint
	// The owner's draft of a profile (draft.go).
	Draft, SaveDraft, DeleteDraft auth.Endpoint
}{
	ConsentNotice: auth.Endpoint{Method: http.MethodGet, Path: "/profiles/consent-notice", Policy: auth.Anyone},
	Create:        auth.Endpoint{Method: http.MethodPost, Path: "/profiles", Policy: auth.Applicants},
	Mine:          auth.Endpoint{Method: http.MethodGet, Path: "/profiles/me", Policy: auth.Applicants},
	Revise:        auth.Endpoint{Method: http.MethodPut, Path: "/profiles/me", Policy: auth.Applicants},
	Erase:         auth.Endpoint{Method: http.MethodDelete, Path: "/profiles/me", Policy: auth.Applicants},
	Export:        auth.Endpoint{Method: http.MethodGet, Path: "/profiles/me/export", Policy: auth.SignedIn},
	Read:          auth.Endpoint{Method: http.MethodGet, Path: "/profiles/:id", Policy: auth.SignedIn},
	List:          auth.Endpoint{Method: http.MethodGet, Path: "/profiles", Policy: auth.Coordinators},
	Import:        auth.Endpoint{Method: http.MethodPost, Path: "/profiles/import", Policy: auth.Coordinators, CSVBody: true},
	Draft:         auth.Endpoint{Method: http.MethodGet, Path: "/profiles/me/draft", Policy: auth.Applicants},
	SaveDraft:     auth.Endpoint{Method: http.MethodPut, Path: "/profiles/me/draft", Policy: auth.Applicants},
	DeleteDraft:   auth.Endpoint{Method: http.MethodDelete, Path: "/profiles/me/draft", Policy: auth.Applicants},
}
