package profiles_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/platformtest"
)

func TestApplicationConsumerIsIdempotent(t *testing.T) {
	t.Parallel()
	env := start(t)
	applicant, host := uuid.NewString(), uuid.NewString()
	create(t, env, env.Issuer.Token(t, applicant, auth.RoleApplicant), profileBody())
	hostTok := env.Issuer.Token(t, host, auth.RoleHost)
	apps := env.Deps.DB(profiles.Database).Collection("applications")
	count := func() int64 {
		t.Helper()
		n, err := apps.CountDocuments(context.Background(), bson.D{{Key: "applicantId", Value: applicant}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The same application.submitted delivered twice (the same event, as a
	// redelivery would bring it, and a copy with a new event id, as a
	// replay would) leaves one entry.
	ev := submitted(t, "app-1", applicant, host, 1)
	publish(t, env, ev)
	copyEv := ev
	copyEv.ID = uuid.NewString()
	publish(t, env, copyEv)
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 2)
	if n := count(); n != 1 {
		t.Errorf("after the same submission twice: %d entries, want 1", n)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+applicant, hostTok, nil); r.Status != http.StatusOK {
		t.Errorf("host GET after submission = %d, want 200", r.Status)
	}

	// Withdrawn (v2), then the old submission (v1) arrives late: the
	// withdrawal stands.
	publish(t, env, withdrawn(t, "app-1", applicant, host, 2))
	late := submitted(t, "app-1", applicant, host, 1)
	publish(t, env, late)
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 4)
	if n := count(); n != 1 {
		t.Errorf("after withdrawal and a late submission: %d entries, want 1", n)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+applicant, hostTok, nil); r.Status != http.StatusNotFound {
		t.Errorf("host GET after withdrawal and a late old submission = %d, want 404", r.Status)
	}

	// An event without the ids the read model needs is dead-lettered at
	// once, not retried.
	publish(t, env, platformtest.Event(t, matching.Source, events.ApplicationSubmitted, "app-bad", 1, matching.ApplicationSubmitted{ApplicationID: "app-bad"}))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 5)
	deadline := time.Now().Add(10 * time.Second)
	for deadLetters(t, env) != 1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := deadLetters(t, env); n != 1 {
		t.Errorf("DEADLETTER holds %d messages after a malformed event, want 1", n)
	}
}

// A rank import's applications.imported opens the applicant's profile to
// the host of each listed application, as one application.submitted per
// application would; delivered again, it adds nothing, and a withdrawal
// of one of them (version 2) stands against it.
func TestImportedApplicationsOpenTheProfileToTheirHosts(t *testing.T) {
	t.Parallel()
	env := start(t)
	applicant, hostA, hostB, stranger := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
	create(t, env, env.Issuer.Token(t, applicant, auth.RoleApplicant), profileBody())
	apps := env.Deps.DB(profiles.Database).Collection("applications")
	ev := platformtest.Event(t, matching.Source, events.ApplicationsImported, applicant, 1, matching.ApplicationsImported{
		ApplicantID: applicant, RoundID: "round-1", RoundName: "Round one", SubmittedAt: time.Now().UTC(),
		Applications: []matching.ImportedApplication{
			{ApplicationID: "imp-1", ProgramID: "prog-a", HostID: hostA},
			{ApplicationID: "imp-2", ProgramID: "prog-b", HostID: hostB},
		},
	})
	publish(t, env, ev)
	publish(t, env, withdrawn(t, "imp-2", applicant, hostB, 2))
	again := ev
	again.ID = uuid.NewString()
	publish(t, env, again)
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 3)

	n, err := apps.CountDocuments(context.Background(), bson.D{{Key: "applicantId", Value: applicant}})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("after the import twice: %d entries, want 2", n)
	}
	for host, want := range map[string]int{hostA: http.StatusOK, hostB: http.StatusNotFound, stranger: http.StatusNotFound} {
		tok := env.Issuer.Token(t, host, auth.RoleHost)
		if r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+applicant, tok, nil); r.Status != want {
			t.Errorf("host GET = %d, want %d (host A applied to, host B withdrawn from, a stranger)", r.Status, want)
		}
	}
}
