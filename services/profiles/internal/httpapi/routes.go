// Package httpapi serves the profiles part of the public API (DESIGN.md §3):
//
//	GET    /profiles/consent-notice  anyone        the consent notice in force (?lang=en|ja|hi)
//	POST   /profiles                 applicants    create one's own profile (one per account)
//	GET    /profiles/me              applicants    one's own profile
//	PUT    /profiles/me              applicants    replace one's own profile
//	DELETE /profiles/me              applicants    erase one's own profile
//	GET    /profiles/me/export       signed in     everything every service holds about the caller
//	GET    /profiles/{id}            signed in     owner, coordinators, or the host of a program the applicant applied to; otherwise 404
//	GET    /profiles                 coordinators  filter and page: country, kind, field, degreeLevel, q, page, pageSize
//	POST   /profiles/import          coordinators  CSV import, all or nothing (see package csvimport)
//	GET    /profiles/me/draft        applicants    one's own draft of a profile (the answers so far)
//	PUT    /profiles/me/draft        applicants    keep the answers so far (30 days after the last change)
//	DELETE /profiles/me/draft        applicants    drop one's draft
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/shared/api"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serve the routes.
type Handlers struct {
	App *app.Service
}

// Table is the access table: every route of shared/api/profiles with its
// handler and what it takes and answers.
func (h *Handlers) Table() []auth.Route {
	r := apiprofiles.Routes
	return []auth.Route{
		r.ConsentNotice.Serve(h.consentNotice, &auth.Doc{Summary: "The consent notice in force, in the language of ?lang=en|ja|hi (default en); every language has the same version",
			Response: apiprofiles.ConsentNotice{}, Errors: []int{400}}),
		r.Create.Serve(h.create, &auth.Doc{Summary: "Create one's own profile", Request: apiprofiles.ProfileRequest{},
			Status: http.StatusCreated, Response: apiprofiles.Profile{}, Errors: []int{409, 415}}),
		r.Mine.Serve(h.mine, &auth.Doc{Summary: "One's own profile", Response: apiprofiles.Profile{}, Errors: []int{404}}),
		r.Revise.Serve(h.revise, &auth.Doc{Summary: "Replace one's own profile", Request: apiprofiles.ProfileRequest{},
			Response: apiprofiles.Profile{}, Errors: []int{404, 409, 415}}),
		r.Erase.Serve(h.erase, &auth.Doc{Summary: "Erase one's own profile", Status: http.StatusNoContent, Errors: []int{404}}),
		r.Export.Serve(h.export, &auth.Doc{Summary: "Everything every service holds about the caller", Response: apiprofiles.Export{}}),
		r.Read.Serve(h.read, &auth.Doc{Summary: "Read a profile as the caller may see it: the owner and coordinators all of it; the host of a program the applicant applied to all but gender, categories, guardian and e-mail; anyone else 404 (applicants who let hosts find them are listed only on GET /programs/{id}/candidates)",
			Response: apiprofiles.Profile{}}),
		r.List.Serve(h.list, &auth.Doc{Summary: "Filter and page profiles", Response: api.Page[apiprofiles.Profile]{}, Errors: []int{400}}),
		r.Import.Serve(h.importCSV, &auth.Doc{Summary: "Import profiles from CSV, all or nothing", RequestMedia: "text/csv",
			Status: http.StatusCreated, Response: apiprofiles.ImportResult{}, Errors: []int{413, 415, 422}}),
		r.Draft.Serve(h.draft, &auth.Doc{Summary: "One's own draft of a profile: the answers given so far, kept 30 days after the last change",
			Response: apiprofiles.Draft{}, Errors: []int{404}}),
		r.SaveDraft.Serve(h.saveDraft, &auth.Doc{Summary: "Keep the answers given so far (unchecked until the profile is submitted)",
			Request: apiprofiles.DraftRequest{}, Response: apiprofiles.Draft{}, Errors: []int{400, 415}}),
		r.DeleteDraft.Serve(h.deleteDraft, &auth.Doc{Summary: "Drop one's draft", Status: http.StatusNoContent}),
	}
}

// Register adds the routes to the /api/v1 group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
