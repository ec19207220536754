// Package httpapi is the programs service's HTTP surface: the access table
// of its routes, request and response types, and the mapping of domain
// errors to problem responses.
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs/internal/app"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// Handlers serves the routes.
type Handlers struct {
	app *app.Service
}

// New returns the handlers over the use cases.
func New(a *app.Service) *Handlers { return &Handlers{app: a} }

// Table is the access table: every route of shared/api/programs with its
// handler and what it takes and answers.
func (h *Handlers) Table() []auth.Route {
	r := apiprograms.Routes
	return []auth.Route{
		r.Search.Serve(h.search, &auth.Doc{Summary: "Search published programs", Response: apiprograms.SearchResponse{}, Errors: []int{400, 401, 403, 409}}),
		r.Create.Serve(h.create, &auth.Doc{Summary: "Create a draft program (hosts, verified or still waiting for a coordinator)", Request: apiprograms.ProgramRequest{},
			Status: http.StatusCreated, Response: programsev.Program{}, Errors: []int{415}}),
		r.Import.Serve(h.importCSV, &auth.Doc{Summary: "Import programs from CSV, all or nothing; ?publish=true needs a verified host account", RequestMedia: "text/csv",
			Status: http.StatusCreated, Response: apiprograms.ImportResponse{}, Errors: []int{403, 413, 415}}),
		r.Get.Serve(h.get, &auth.Doc{Summary: "Read one program", Response: programsev.Program{}}),
		r.Update.Serve(h.update, &auth.Doc{Summary: "Replace a program's content", Request: apiprograms.ProgramRequest{},
			Response: programsev.Program{}, Errors: []int{409, 415}}),
		r.Publish.Serve(h.publish, &auth.Doc{Summary: "Publish a draft; a host account not yet verified by a coordinator gets 403 host_not_verified",
			Response: programsev.Program{}, Errors: []int{403, 409}}),
		r.Close.Serve(h.close, &auth.Doc{Summary: "Close a program to applications", Response: programsev.Program{}, Errors: []int{409}}),
		r.SaveSearch.Serve(h.saveSearch, &auth.Doc{Summary: "Save a program search; with alert, newly published programs it finds notify the caller",
			Request: apiprograms.SavedSearchRequest{}, Status: http.StatusCreated, Response: apiprograms.SavedSearch{}, Errors: []int{409, 415}}),
		r.MySearches.Serve(h.mySearches, &auth.Doc{Summary: "The caller's saved searches, newest first", Response: apiprograms.SavedSearchList{}}),
		r.DeleteSearch.Serve(h.deleteSearch, &auth.Doc{Summary: "Delete one of the caller's saved searches", Status: http.StatusNoContent}),
	}
}

// Register adds the routes to the API group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
