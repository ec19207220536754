package documents_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/documents"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

func TestWhoMayReadADocument(t *testing.T) {
	env := start(t)
	asha, other := newPerson(t, env, applicant), newPerson(t, env, applicant)
	hostA, hostB := newPerson(t, env, host), newPerson(t, env, host)
	coord := newPerson(t, env, coordinator)
	d := mustUpload(t, env, asha, apidocs.KindTranscript, "Transcript", samplePDF("grades"))
	meta, content := "/api/v1/documents/"+d.ID, "/api/v1/documents/"+d.ID+"/content"

	// Before any application lists it, only the owner and coordinators.
	hostProgram(t, env, "prog-a", hostA.id, 1)
	hostProgram(t, env, "prog-b", hostB.id, 1)
	for _, tc := range []struct {
		who  string
		p    person
		want int
	}{{"owner", asha, 200}, {"coordinator", coord, 200}, {"another applicant", other, 404}, {"host A", hostA, 404}, {"host B", hostB, 404}} {
		mustStatus(t, get(t, env, meta, tc.p.token), tc.want, "GET metadata as "+tc.who)
		mustStatus(t, get(t, env, content, tc.p.token), tc.want, "GET content as "+tc.who)
	}

	// Asha attaches it to her application to host A's program.
	attach(t, env, "app-1", asha.id, "prog-a", 3, d.ID)
	platformtest.Eventually(t, 10*time.Second, func() error {
		if r := get(t, env, content, hostA.token); r.Status != http.StatusOK {
			return fmt.Errorf("host A GET content = %d", r.Status)
		}
		return nil
	})
	mustStatus(t, get(t, env, content, hostB.token), http.StatusNotFound, "GET content as host B")
	// An application that names someone else's document gives no access.
	attach(t, env, "app-2", other.id, "prog-b", 3, d.ID)
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "documents-applications", 2)
	mustStatus(t, get(t, env, content, hostB.token), http.StatusNotFound, "GET content as host B via another's application")

	// An older list arriving late changes nothing; withdrawal ends access.
	attach(t, env, "app-1", asha.id, "prog-a", 2)
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "documents-applications", 3)
	mustStatus(t, get(t, env, content, hostA.token), http.StatusOK, "GET content as host A after an old event")
	publish(t, env, platformtest.Event(t, matching.Source, events.ApplicationWithdrawn, "app-1", 4,
		matching.ApplicationWithdrawn{ApplicationID: "app-1", ApplicantID: asha.id, ProgramID: "prog-a", HostID: hostA.id}))
	platformtest.Eventually(t, 10*time.Second, func() error {
		if r := get(t, env, content, hostA.token); r.Status != http.StatusNotFound {
			return fmt.Errorf("host A GET content after withdrawal = %d", r.Status)
		}
		return nil
	})

	// Roles: hosts and coordinators do not upload, list or delete.
	for _, p := range []person{hostA, coord} {
		mustProblem(t, upload(t, env, p, apidocs.KindCV, "CV", "cv.pdf", samplePDF("x")), 403, "forbidden_role", "POST /documents as "+p.id)
		mustStatus(t, get(t, env, "/api/v1/documents/me", p.token), http.StatusForbidden, "GET /documents/me as host or coordinator")
		mustStatus(t, env.Do(t, http.MethodDelete, meta, p.token, nil), http.StatusForbidden, "DELETE as host or coordinator")
	}
	mustStatus(t, get(t, env, meta, ""), http.StatusUnauthorized, "GET metadata signed out")
}

func TestErasureLeavesNothingOfThePerson(t *testing.T) {
	for _, tc := range []struct {
		name  string
		erase func(t *testing.T, env *platformtest.Env, id string)
	}{
		{"user.deleted", func(t *testing.T, env *platformtest.Env, id string) {
			publish(t, env, platformtest.Event(t, "identity", events.UserDeleted, id, 3,
				identity.UserDeleted{UserID: id, Role: applicant, DeletedAt: time.Now().UTC()}))
		}},
		{"profile.erased", func(t *testing.T, env *platformtest.Env, id string) {
			publish(t, env, platformtest.Event(t, "profiles", events.ProfileErased, id, 9, profilesev.ProfileErased{ProfileID: id}))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := start(t)
			asha, keep := newPerson(t, env, applicant), newPerson(t, env, applicant)
			coord := newPerson(t, env, coordinator)
			hostA := newPerson(t, env, host)
			hostProgram(t, env, "prog-a", hostA.id, 1)
			d := mustUpload(t, env, asha, apidocs.KindCV, "Asha Rao CV", samplePDF("Asha Rao, IIT Madras"))
			mustUpload(t, env, asha, apidocs.KindPassport, "Passport scan", samplePNG(t))
			attach(t, env, "app-1", asha.id, "prog-a", 2, d.ID)
			ref := requestLetter(t, env, asha, "Prof Kenji Sato", "sato@example.ac.jp", false)
			mustStatus(t, refereeUpload(t, env, ref.token, samplePDF("Asha is a fine student")), http.StatusCreated, "referee upload")
			kept := mustUpload(t, env, keep, apidocs.KindCV, "Other CV", samplePDF("other"))
			platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "documents-applications", 1)

			tc.erase(t, env, asha.id)
			platformtest.Eventually(t, 60*time.Second, func() error {
				if r := get(t, env, "/api/v1/documents/"+d.ID, coord.token); r.Status != http.StatusNotFound {
					return fmt.Errorf("coordinator GET erased document = %d", r.Status)
				}
				return nil
			})
			// Every collection of the database, GridFS's included, holds
			// nothing of hers: not her id, her documents' ids, names or bytes.
			needles := []string{asha.id, d.ID, "Asha", "Sato", "sato@example.ac.jp", "Passport scan", ref.id}
			db := env.Deps.DB(documents.Database)
			ctx := context.Background()
			names, err := db.ListCollectionNames(ctx, bson.D{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, n := range names {
				seen[n] = true
				cur, err := db.Collection(n).Find(ctx, bson.D{})
				if err != nil {
					t.Fatal(err)
				}
				var docs []bson.Raw
				if err := cur.All(ctx, &docs); err != nil {
					t.Fatal(err)
				}
				for _, raw := range docs {
					text := raw.String()
					if n == "fs.chunks" {
						text = string(raw) // the bytes, not their base64
					}
					for _, s := range needles {
						if strings.Contains(text, s) {
							t.Errorf("collection %s still holds %q after erasure: %.200s", n, s, text)
						}
					}
				}
			}
			for _, n := range []string{"documents", "references", "fs.files", "fs.chunks"} {
				if !seen[n] {
					t.Errorf("collection %s missing from %v: the scan proves nothing", n, names)
				}
			}
			mustStatus(t, get(t, env, "/api/v1/documents/"+kept.ID+"/content", keep.token), http.StatusOK, "another applicant's document")
		})
	}
}

func TestExportListsEachFileWithItsHash(t *testing.T) {
	env := start(t)
	asha := newPerson(t, env, applicant)
	d := mustUpload(t, env, asha, apidocs.KindCV, "CV", samplePDF("cv"))
	open := requestLetter(t, env, asha, "Dr Open", "open@example.org", false)
	waived := requestLetter(t, env, asha, "Dr Waived", "waived@example.org", true)
	mustStatus(t, refereeUpload(t, env, open.token, samplePDF("open letter")), http.StatusCreated, "open letter")
	mustStatus(t, refereeUpload(t, env, waived.token, samplePDF("waived letter")), http.StatusCreated, "waived letter")

	body, _ := json.Marshal(profilesev.ExportRequest{UserID: asha.id})
	msg, err := env.Deps.Bus.NC.Request(profilesev.ExportSubject("documents"), body, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var part struct {
		Service string `json:"service"`
		Data    struct {
			Documents []struct {
				ID, SHA256, Content, ReferenceID string
				Waived                           bool
			} `json:"documents"`
			References []struct {
				RefereeEmail, Status string
			} `json:"references"`
		} `json:"data"`
	}
	platformtest.DecodeJSON(t, msg.Data, &part)
	if part.Service != "documents" || len(part.Data.Documents) != 3 || len(part.Data.References) != 2 {
		t.Fatalf("export part = %s, want 3 documents and 2 references", msg.Data)
	}
	for _, x := range part.Data.Documents {
		if x.SHA256 == "" {
			t.Errorf("exported document %s has no sha256", x.ID)
		}
		if x.Waived != (x.Content == "") {
			t.Errorf("exported document %s: waived %v, content %q; want a link exactly when not waived", x.ID, x.Waived, x.Content)
		}
		if x.ID == d.ID {
			r := get(t, env, strings.TrimPrefix(x.Content, ""), asha.token)
			mustStatus(t, r, http.StatusOK, "GET exported link")
		}
	}
	for _, r := range part.Data.References {
		if r.Status != apidocs.StatusReceived {
			t.Errorf("exported reference %s status %q, want received", r.RefereeEmail, r.Status)
		}
	}
	// A malformed request is answered with an error, not personal data.
	msg, err = env.Deps.Bus.NC.Request(profilesev.ExportSubject("documents"), []byte(`{"userId":""}`), 5*time.Second)
	if err != nil || !strings.Contains(string(msg.Data), `"error"`) {
		t.Fatalf("export of an empty id = %s, %v; want an error part", msg.Data, err)
	}
}
