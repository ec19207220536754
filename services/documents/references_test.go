package documents_test

import (
	"net/http"
	"strings"
	"testing"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/platformtest"
)

// letter is a requested reference and its one-time token.
type letter struct {
	id, token string
}

func requestLetter(t *testing.T, env *platformtest.Env, p person, name, email string, waived bool) letter {
	t.Helper()
	r := env.Do(t, http.MethodPost, "/api/v1/references", p.token, apidocs.ReferenceRequest{
		RefereeName: name, RefereeEmail: email, Relation: "thesis supervisor", Waived: waived, Language: "ja"})
	mustStatus(t, r, http.StatusCreated, "POST /references")
	var c apidocs.ReferenceCreated
	r.JSON(t, &c)
	token, ok := strings.CutPrefix(c.UploadLink, "/references/upload/")
	if !ok || len(token) != 43 {
		t.Fatalf("upload link %q, want /references/upload/<43-character token>", c.UploadLink)
	}
	return letter{id: c.ID, token: token}
}

func refereeUpload(t *testing.T, env *platformtest.Env, token string, file []byte) platformtest.Response {
	t.Helper()
	body, ct := form(t, "letter.pdf", file)
	return send(t, env, "/api/v1/references/upload/"+token, "", body, ct)
}

func myReferences(t *testing.T, env *platformtest.Env, p person) []apidocs.Reference {
	t.Helper()
	r := get(t, env, "/api/v1/references/me", p.token)
	mustStatus(t, r, http.StatusOK, "GET /references/me")
	var refs apidocs.References
	r.JSON(t, &refs)
	return refs.Items
}

func TestARefereeUploadsOnceWithoutAnAccount(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	l := requestLetter(t, env, asha, "Prof Kenji Sato", "sato@example.ac.jp", false)
	if refs := myReferences(t, env, asha); len(refs) != 1 || refs[0].Status != apidocs.StatusRequested || refs[0].Language != "ja" {
		t.Fatalf("GET /references/me = %+v, want one requested in ja", refs)
	}
	var inv apidocs.UploadInvitation
	r := get(t, env, "/api/v1/references/upload/"+l.token, "")
	mustStatus(t, r, http.StatusOK, "GET invitation")
	r.JSON(t, &inv)
	if inv.RefereeName != "Prof Kenji Sato" || inv.Language != "ja" || inv.Status != apidocs.StatusRequested {
		t.Fatalf("invitation = %+v", inv)
	}
	// The link's rules are the documents' rules.
	mustProblem(t, refereeUpload(t, env, l.token, sampleEXE()), 415, "unsupported_file_type", "referee upload of an executable")
	mustStatus(t, refereeUpload(t, env, l.token, samplePDF("letter")), http.StatusCreated, "referee upload")
	mustProblem(t, refereeUpload(t, env, l.token, samplePDF("again")), http.StatusGone, "link_used", "second referee upload")
	mustStatus(t, get(t, env, "/api/v1/references/upload/not-a-token", ""), http.StatusNotFound, "GET unknown link")
	mustStatus(t, refereeUpload(t, env, strings.Repeat("A", 43), samplePDF("x")), http.StatusNotFound, "upload with an unknown link")

	refs := myReferences(t, env, asha)
	if len(refs) != 1 || refs[0].Status != apidocs.StatusReceived || refs[0].DocumentID == "" {
		t.Fatalf("GET /references/me = %+v, want received with its document", refs)
	}
	mustStatus(t, get(t, env, "/api/v1/documents/"+refs[0].DocumentID+"/content", asha.token), http.StatusOK, "GET open letter")
	// The token is stored hashed: the database never holds it.
	evs := platformtest.WaitEvents(t, env.Deps.Bus, "DOCUMENTS", platformtest.EventFilter{Subject: l.id}, 2)
	if evs[0].Type != "tb.documents.v1.reference.requested" || evs[1].Type != "tb.documents.v1.reference.received" {
		t.Fatalf("events of the reference = %s, %s", evs[0].Type, evs[1].Type)
	}
	for _, ev := range evs {
		if strings.Contains(string(ev.Data), l.token) || strings.Contains(string(ev.Data), "sato@") {
			t.Fatalf("event %s carries the token or the referee's address: %s", ev.Type, ev.Data)
		}
	}
}

func TestAWaivedLetterIsNeverShownToTheApplicant(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	coord := newPerson(t, env, coordinator)
	l := requestLetter(t, env, asha, "Dr Mehta", "mehta@example.in", true)
	mustStatus(t, refereeUpload(t, env, l.token, samplePDF("confidential")), http.StatusCreated, "referee upload")
	refs := myReferences(t, env, asha)
	if len(refs) != 1 || refs[0].Status != apidocs.StatusReceived || refs[0].DocumentID != "" {
		t.Fatalf("GET /references/me = %+v, want received without the letter's id", refs)
	}
	var mine apidocs.Documents
	get(t, env, "/api/v1/documents/me", asha.token).JSON(t, &mine)
	if len(mine.Items) != 1 || mine.Items[0].Kind != apidocs.KindReference {
		t.Fatalf("GET /documents/me = %+v, want the letter listed (to attach it)", mine.Items)
	}
	id := mine.Items[0].ID
	mustProblem(t, get(t, env, "/api/v1/documents/"+id+"/content", asha.token), http.StatusForbidden, "letter_waived", "owner GET waived letter")
	r := get(t, env, "/api/v1/documents/"+id+"/content", coord.token)
	mustStatus(t, r, http.StatusOK, "coordinator GET waived letter")
	if !strings.Contains(string(r.Body), "confidential") {
		t.Fatal("coordinator got other bytes than the letter")
	}
}

func TestReferenceRequestsAreChecked(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"bad e-mail", apidocs.ReferenceRequest{RefereeName: "K", RefereeEmail: "not-an-address", Relation: "tutor"}, "refereeEmail"},
		{"no name", apidocs.ReferenceRequest{RefereeEmail: "k@example.org", Relation: "tutor"}, "refereeName"},
		{"no relation", apidocs.ReferenceRequest{RefereeName: "K", RefereeEmail: "k@example.org"}, "relation"},
		{"unknown language", apidocs.ReferenceRequest{RefereeName: "K", RefereeEmail: "k@example.org", Relation: "tutor", Language: "fr"}, "language"},
		{"server field", map[string]any{"refereeName": "K", "refereeEmail": "k@example.org", "relation": "tutor", "status": "received"}, "status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := env.Do(t, http.MethodPost, "/api/v1/references", asha.token, tc.body)
			mustStatus(t, r, http.StatusBadRequest, "POST /references")
			if p := r.Problem(t); !strings.Contains(string(r.Body), tc.field) {
				t.Fatalf("problem %+v does not name %s", p, tc.field)
			}
		})
	}
	hostP := newPerson(t, env, host)
	mustStatus(t, env.Do(t, http.MethodPost, "/api/v1/references", hostP.token, apidocs.ReferenceRequest{
		RefereeName: "K", RefereeEmail: "k@example.org", Relation: "tutor"}), http.StatusForbidden, "POST /references as host")
	if refs := myReferences(t, env, asha); len(refs) != 0 {
		t.Fatalf("refused requests were stored: %+v", refs)
	}
	// Another applicant never sees Asha's requests.
	requestLetter(t, env, asha, "K", "k@example.org", false)
	if refs := myReferences(t, env, newPerson(t, env, applicant)); len(refs) != 0 {
		t.Fatalf("another applicant sees %+v", refs)
	}
}
