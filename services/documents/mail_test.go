package documents_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/documents"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/platformtest"
)

// The referee gets the link by e-mail, in the language the applicant
// chose, from a real SMTP server; the link from the mail works once.
func TestTheRefereeGetsTheLinkByEmailInTheirLanguage(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "starttls"})
	env := platformtest.Start(t, platformtest.Options{}, documents.NewWithOptions(documents.Options{
		Config:      &documents.Config{SMTP: srv.Config(), PublicURL: "https://talentbridge.test"},
		MailOptions: []mail.SMTPOption{mail.WithTLSConfig(srv.ClientTLS())},
	}))
	asha := newPerson(t, env, applicant)
	links := map[string]string{}
	for _, tc := range []struct{ lang, email, word string }{
		{"ja", "sato@example.ac.jp", "推薦状"},
		{"hi", "mehta@example.in", "संदर्भ पत्र"},
		{"en", "lee@example.org", "reference letter"},
	} {
		r := env.Do(t, http.MethodPost, "/api/v1/references", asha.token, apidocs.ReferenceRequest{
			RefereeName: "Referee " + tc.lang, RefereeEmail: tc.email, Relation: "supervisor", Language: tc.lang})
		mustStatus(t, r, http.StatusCreated, "POST /references")
		var c apidocs.ReferenceCreated
		r.JSON(t, &c)
		if !c.Emailed {
			t.Fatalf("POST /references in %s: emailed = false with SMTP configured", tc.lang)
		}
		m := srv.WaitFor(t, 30*time.Second, mailtest.To(tc.email))
		if !strings.Contains(m.Subject+m.Text, tc.word) {
			t.Errorf("mail to %s is not in %s: subject %q text %q", tc.email, tc.lang, m.Subject, m.Text)
		}
		link := regexp.MustCompile(`https://talentbridge\.test/references/upload/[A-Za-z0-9_-]{43}`).FindString(m.Text)
		if link == "" || !strings.HasSuffix(link, c.UploadLink) {
			t.Fatalf("mail to %s carries no link to %s: %q", tc.email, c.UploadLink, m.Text)
		}
		links[tc.lang] = strings.TrimPrefix(link, "https://talentbridge.test/references/upload/")
	}
	mustStatus(t, refereeUpload(t, env, links["ja"], samplePDF("letter")), http.StatusCreated, "upload with the mailed link")
	mustProblem(t, refereeUpload(t, env, links["ja"], samplePDF("again")), http.StatusGone, "link_used", "second use of the mailed link")

	// A sent mail keeps no body, so the token is gone from the database;
	// erasure forgets the mails altogether.
	mails := env.Deps.DB(documents.Database).Collection(documents.MailsCollection)
	platformtest.Eventually(t, 10*time.Second, func() error {
		n, err := mails.CountDocuments(context.Background(), bson.D{{Key: "text", Value: bson.D{{Key: "$exists", Value: true}}}})
		if err == nil && n != 0 {
			err = errString("mails still hold their bodies")
		}
		return err
	})
	if n, _ := mails.CountDocuments(context.Background(), bson.D{}); n != 3 {
		t.Fatalf("mail queue holds %d mails, want 3", n)
	}
	publish(t, env, platformtest.Event(t, "identity", events.UserDeleted, asha.id, 3,
		identity.UserDeleted{UserID: asha.id, Role: applicant, DeletedAt: time.Now().UTC()}))
	platformtest.Eventually(t, 60*time.Second, func() error {
		n, err := mails.CountDocuments(context.Background(), bson.D{})
		if err == nil && n != 0 {
			err = errString("the erased applicant's referee mails are still queued")
		}
		return err
	})
}

type errString string

func (e errString) Error() string { return string(e) }
