package ui

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
)

// Pages of the documents service (DESIGN.md §3 "Documents and referee
// letters"): an applicant's documents (upload, list, delete), their
// referee requests, and the page a referee's one-time link opens.

// DocumentsData is the documents page.
type DocumentsData struct {
	Items []apidocs.Document
	Limit int
	Kinds []string
}

// ReferencesData is the references page. Created is the request just
// made, with its link, shown once.
type ReferencesData struct {
	Items     []apidocs.Reference
	Created   *apidocs.ReferenceCreated
	Languages []string
}

// RefereeData is the referee's upload page.
type RefereeData struct {
	Invitation apidocs.UploadInvitation
	Token      string
	// Done: the letter was received now; Closed: the link was used or has
	// expired.
	Done, Closed bool
}

var refereeLanguages = []string{"en", "ja", "hi"}

func (u *UI) documents(c echo.Context) error {
	return u.renderDocuments(c, http.StatusOK, newForm(nil))
}

func (u *UI) renderDocuments(c echo.Context, status int, f *Form) error {
	var docs apidocs.Documents
	if err := u.call(c, http.MethodGet, "/documents/me", nil, &docs); err != nil {
		return err
	}
	p := u.page(c, "documents.title")
	p.Form = f
	p.Data = DocumentsData{Items: docs.Items, Limit: docs.Limit, Kinds: apidocs.Kinds}
	return u.render(c, status, "documents", p)
}

// forwardFile streams the file of the browser's form (already parsed by
// the CSRF check, within the route's body limit) to the API as a new
// multipart body holding the given fields first, then the file.
func forwardFile(c echo.Context, fields ...string) (multipartBody, error) {
	fh, err := c.FormFile(apidocs.FieldFile)
	if err != nil {
		return multipartBody{}, err
	}
	fl, err := fh.Open()
	if err != nil {
		return multipartBody{}, err
	}
	pr, pw := io.Pipe()
	w := multipart.NewWriter(pw)
	go func() {
		defer fl.Close()
		err := func() error {
			for i := 0; i+1 < len(fields); i += 2 {
				if err := w.WriteField(fields[i], fields[i+1]); err != nil {
					return err
				}
			}
			part, err := w.CreateFormFile(apidocs.FieldFile, fh.Filename)
			if err != nil {
				return err
			}
			if _, err := io.Copy(part, fl); err != nil {
				return err
			}
			return w.Close()
		}()
		pw.CloseWithError(err)
	}()
	return multipartBody{r: pr, ctype: w.FormDataContentType()}, nil
}

// fileProblem puts an upload's refusal on the form under the file input,
// in the page's language when the rule is known.
func fileProblem(f *Form, err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status >= 500 || ae.Status == http.StatusUnauthorized {
		return false
	}
	if f.fromProblem(err, simpleFields(map[string]string{"kind": "documents.kind", "title": "documents.doc_title", "file": "documents.file"})) {
		// The file's rules have their own wording.
		for i, sp := range f.Summary {
			if sp.Name == "file" {
				f.Summary[i].Key = "documents.problem." + ae.Problem.Code
				f.Errors["file"] = []FieldProblem{f.Summary[i]}
			}
		}
		return true
	}
	f.add("file", "documents.file", "documents.problem."+ae.Problem.Code, ae.Problem.Detail)
	return true
}

func (u *UI) uploadDocument(c echo.Context) error {
	kind, title := c.FormValue("kind"), strings.TrimSpace(c.FormValue("title"))
	f := newForm(url.Values{"kind": {kind}, "title": {title}})
	body, err := forwardFile(c, apidocs.FieldKind, kind, apidocs.FieldTitle, title)
	if err != nil {
		f.add("file", "documents.file", "problem.required", "")
		return u.renderDocuments(c, http.StatusUnprocessableEntity, f)
	}
	err = u.call(c, http.MethodPost, "/documents", body, nil)
	if err == nil {
		return seeOther(c, "/documents?done=document_uploaded")
	}
	if !fileProblem(f, err) {
		return err
	}
	return u.renderDocuments(c, http.StatusUnprocessableEntity, f)
}

func (u *UI) deleteDocument(c echo.Context) error {
	if err := u.call(c, http.MethodDelete, "/documents/"+url.PathEscape(c.Param("id")), nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/documents?done=document_deleted")
}

func (u *UI) references(c echo.Context) error {
	return u.renderReferences(c, http.StatusOK, newForm(url.Values{"language": {u.lang(c)}}), nil)
}

func (u *UI) renderReferences(c echo.Context, status int, f *Form, created *apidocs.ReferenceCreated) error {
	var refs apidocs.References
	if err := u.call(c, http.MethodGet, "/references/me", nil, &refs); err != nil {
		return err
	}
	p := u.page(c, "references.title")
	p.Form = f
	p.Data = ReferencesData{Items: refs.Items, Created: created, Languages: refereeLanguages}
	return u.render(c, status, "references", p)
}

func (u *UI) requestReference(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	req := apidocs.ReferenceRequest{RefereeName: strings.TrimSpace(v.Get("refereeName")),
		RefereeEmail: strings.TrimSpace(v.Get("refereeEmail")), Relation: strings.TrimSpace(v.Get("relation")),
		Waived: v.Get("waived") == "on", Language: v.Get("language")}
	var created apidocs.ReferenceCreated
	err = u.call(c, http.MethodPost, "/references", req, &created)
	if err == nil {
		c.Response().Header().Set("Referrer-Policy", "no-referrer")
		return u.renderReferences(c, http.StatusCreated, newForm(url.Values{"language": {u.lang(c)}}), &created)
	}
	f := newForm(v)
	if !f.fromProblem(err, simpleFields(map[string]string{"refereeName": "references.name",
		"refereeEmail": "references.email", "relation": "references.relation", "language": "references.language"})) {
		return err
	}
	return u.renderReferences(c, http.StatusUnprocessableEntity, f, nil)
}

// refereePage shows what the link is for, in the referee's language.
func (u *UI) refereePage(c echo.Context) error {
	return u.renderReferee(c, http.StatusOK, newForm(nil), false)
}

func (u *UI) renderReferee(c echo.Context, status int, f *Form, done bool) error {
	token := c.Param("token")
	var inv apidocs.UploadInvitation
	if err := u.call(c, http.MethodGet, "/references/upload/"+url.PathEscape(token), nil, &inv); err != nil {
		return err
	}
	c.Set(langKey, inv.Language)
	p := u.page(c, "referee.title")
	p.Form = f
	p.Data = RefereeData{Invitation: inv, Token: token, Done: done, Closed: inv.Status != apidocs.StatusRequested && !done}
	// The token is in the path: keep it out of other sites' logs.
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return u.render(c, status, "referee", p)
}

func (u *UI) refereeUpload(c echo.Context) error {
	f := newForm(nil)
	body, err := forwardFile(c)
	if err != nil {
		f.add("file", "documents.file", "problem.required", "")
		return u.renderReferee(c, http.StatusUnprocessableEntity, f, false)
	}
	err = u.call(c, http.MethodPost, "/references/upload/"+url.PathEscape(c.Param("token")), body, nil)
	if err == nil {
		return u.renderReferee(c, http.StatusCreated, f, true)
	}
	if statusOf(err) == http.StatusGone || !fileProblem(f, err) {
		if statusOf(err) == http.StatusGone {
			return u.renderReferee(c, http.StatusGone, f, false)
		}
		return err
	}
	return u.renderReferee(c, http.StatusUnprocessableEntity, f, false)
}
