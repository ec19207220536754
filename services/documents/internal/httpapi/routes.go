// Package httpapi serves the documents part of the public API (DESIGN.md
// §3 "Documents and referee letters"):
//
//	POST   /documents                   applicants  upload (multipart: kind, title, then file)
//	GET    /documents/me                applicants  one's own documents and letters
//	GET    /documents/{id}              signed in   owner, coordinators, host of a program whose application lists it; else 404
//	GET    /documents/{id}/content      signed in   the bytes, as an attachment; a waived letter's owner gets 403
//	DELETE /documents/{id}              applicants  the owner
//	POST   /references                  applicants  ask a referee for a letter: a one-time link
//	GET    /references/me               applicants  one's requests and their status
//	GET    /references/upload/{token}   anyone      what the link is for (the referee's page reads it)
//	POST   /references/upload/{token}   anyone      the referee's upload (multipart: file), once, within 30 days
package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/documents/internal/app"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/auth"
)

// Handlers serve the routes.
type Handlers struct {
	App *app.Service
}

const multipartForm = "multipart/form-data"

// Table is the access table: every route of shared/api/documents with its
// handler and what it takes and answers.
func (h *Handlers) Table() []auth.Route {
	r := apidocs.Routes
	return []auth.Route{
		r.Upload.Serve(h.upload, &auth.Doc{Summary: "Upload a document (multipart form: kind, title, then file; PDF, PNG or JPEG, at most 10 MiB, 50 per applicant)",
			RequestMedia: multipartForm, Status: http.StatusCreated, Response: apidocs.Document{}, Errors: []int{409, 410, 413, 415}}),
		r.Mine.Serve(h.mine, &auth.Doc{Summary: "One's own documents and referee letters", Response: apidocs.Documents{}}),
		r.Read.Serve(h.read, &auth.Doc{Summary: "A document's metadata", Response: apidocs.Document{}}),
		r.Content.Serve(h.content, &auth.Doc{Summary: "A document's bytes, as an attachment", Errors: []int{403}}),
		r.Delete.Serve(h.delete, &auth.Doc{Summary: "Delete one's own document and its bytes", Status: http.StatusNoContent}),
		r.Request.Serve(h.request, &auth.Doc{Summary: "Ask a referee for a letter: a one-time upload link, valid 30 days",
			Request: apidocs.ReferenceRequest{}, Status: http.StatusCreated, Response: apidocs.ReferenceCreated{}, Errors: []int{409, 415}}),
		r.References.Serve(h.references, &auth.Doc{Summary: "One's letter requests: requested, received or expired", Response: apidocs.References{}}),
		r.Invitation.Serve(h.invitation, &auth.Doc{Summary: "What a referee's upload link is for", Response: apidocs.UploadInvitation{}, Errors: []int{404}}),
		r.RefereeUpload.Serve(h.refereeUpload, &auth.Doc{Summary: "A referee uploads the letter (multipart form: file); the link works once",
			RequestMedia: multipartForm, Status: http.StatusCreated, Response: apidocs.UploadInvitation{}, Errors: []int{404, 410, 413, 415}}),
	}
}

// Register adds the routes to the /api/v1 group.
func (h *Handlers) Register(api *echo.Group, v *auth.Verifier) {
	auth.Register(api, v, h.Table())
}
