package documents

import (
	"net/http"

	"github.com/talentbridge/platform/shared/auth"
)

// Routes are the service's routes: its access table serves them and the
// gateway forwards them in split mode.
var Routes = struct {
	Upload, Mine, Read, Content, Delete, Request, References, Invitation, RefereeUpload auth.Endpoint
}{
	Upload:        auth.Endpoint{Method: http.MethodPost, Path: "/documents", Policy: auth.Applicants, BodyLimit: UploadBodyLimit},
	Mine:          auth.Endpoint{Method: http.MethodGet, Path: "/documents/me", Policy: auth.Applicants},
	Read:          auth.Endpoint{Method: http.MethodGet, Path: "/documents/:id", Policy: auth.SignedIn},
	Content:       auth.Endpoint{Method: http.MethodGet, Path: "/documents/:id/content", Policy: auth.SignedIn},
	Delete:        auth.Endpoint{Method: http.MethodDelete, Path: "/documents/:id", Policy: auth.Applicants},
	Request:       auth.Endpoint{Method: http.MethodPost, Path: "/references", Policy: auth.Applicants},
	References:    auth.Endpoint{Method: http.MethodGet, Path: "/references/me", Policy: auth.Applicants},
	Invitation:    auth.Endpoint{Method: http.MethodGet, Path: "/references/upload/:token", Policy: auth.Anyone},
	RefereeUpload: auth.Endpoint{Method: http.MethodPost, Path: "/references/upload/:token", Policy: auth.Anyone, BodyLimit: UploadBodyLimit},
}
