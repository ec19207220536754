package matching_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/auth"
)

// TestCategoriesReachTheReadModelButNoHost carries an imported applicant's
// categories and e-mail from the profile event into the read model (for
// reserves and rank imports later) and checks that the host of a program
// the applicant applied to sees neither, in the candidates list or in the
// ranking.
func TestCategoriesReachTheReadModelButNoHost(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	p := profileSnap("cat-1", "IN", true)
	p.Categories = []string{"first_generation", "northeast_india"}
	p.Consents.Categories = true
	p.Imported, p.ImportedEmail = true, "meera@example.org"
	w.putProfile(p, 1)
	w.putProgram(programSnap("cat-prog", "cat-host", 2), 1)
	w.waitVersion("profiles", "cat-1", 1)
	w.waitVersion("programs", "cat-prog", 1)

	var doc struct {
		Categories []string `bson:"categories"`
		Email      string   `bson:"email"`
	}
	err := w.env.Deps.DB(matching.Database).Collection("profiles").FindOne(context.Background(), bson.D{{Key: "_id", Value: "cat-1"}}).Decode(&doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Categories) != 2 || doc.Categories[0] != "first_generation" || doc.Email != "meera@example.org" {
		t.Errorf("read model = categories %v email %q, want [first_generation northeast_india] and meera@example.org", doc.Categories, doc.Email)
	}

	w.must(http.MethodPost, "/applications", w.token("cat-1", auth.RoleApplicant), map[string]any{"programId": "cat-prog"}, http.StatusCreated, nil)
	host := w.token("cat-host", auth.RoleHost)
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := w.must(http.MethodGet, "/programs/cat-prog/candidates", host, nil, http.StatusOK, nil)
		body := string(r.Body)
		if strings.Contains(body, "cat-1") {
			for _, secret := range []string{"first_generation", "northeast_india", "categories", "meera@example.org"} {
				if strings.Contains(body, secret) {
					t.Errorf("host's candidates show %q: %s", secret, body)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cat-1 never became a candidate: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := w.must(http.MethodGet, "/programs/cat-prog/ranking", host, nil, http.StatusOK, nil)
	for _, secret := range []string{"first_generation", "categories", "meera@example.org"} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("host's ranking shows %q: %s", secret, r.Body)
		}
	}
}
