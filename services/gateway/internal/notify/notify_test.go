package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/gateway/internal/notify"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	identityev "github.com/talentbridge/platform/shared/events/identity"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
)

// service runs the inbox as a platform service for the test.
type service struct {
	in *notify.Inbox
	d  platform.Deps
}

func (s *service) Routes(_ *echo.Echo, api *echo.Group) { auth.Register(api, s.d.Auth, s.in.Routes()) }
func (s *service) Start(ctx context.Context) error {
	for _, c := range s.in.Consumers() {
		if _, err := s.d.Bus.Consume(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
func (s *service) Stop(context.Context) error { return nil }

func start(t *testing.T) *platformtest.Env {
	t.Helper()
	return platformtest.Start(t, platformtest.Options{}, func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		in, err := notify.New(ctx, d.DB("identity"), notify.Options{})
		return &service{in: in, d: d}, err
	})
}

func publish(t *testing.T, env *platformtest.Env, subject, aggregate string, version int64, payload any) events.Envelope {
	t.Helper()
	ev, err := events.New("test", subject, aggregate, version, payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Deps.Bus.PublishEvent(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func inbox(t *testing.T, env *platformtest.Env, token string) apiidentity.NotificationPage {
	t.Helper()
	r := env.Do(t, "GET", "/api/v1/notifications/me", token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /notifications/me = %d %s", r.Status, r.Body)
	}
	var p apiidentity.NotificationPage
	r.JSON(t, &p)
	return p
}

func codes(p apiidentity.NotificationPage) []string {
	var out []string
	for _, n := range p.Items {
		out = append(out, n.Code)
	}
	return out
}

func waitCodes(t *testing.T, env *platformtest.Env, token string, want int) apiidentity.NotificationPage {
	t.Helper()
	var p apiidentity.NotificationPage
	platformtest.Eventually(t, 15*time.Second, func() error {
		p = inbox(t, env, token)
		if len(p.Items) != want {
			return fmt.Errorf("inbox has %v, want %d entries", codes(p), want)
		}
		return nil
	})
	return p
}

func TestInboxFollowsApplicationAndOffer(t *testing.T) {
	env := start(t)
	applicant, host, other := "app-1", "host-1", "app-2"
	tokA := env.Issuer.Token(t, applicant, auth.RoleApplicant)
	tokH := env.Issuer.Token(t, host, auth.RoleHost)
	tokO := env.Issuer.Token(t, other, auth.RoleApplicant)

	publish(t, env, events.ProgramPublished, "prog-1", 1, programsev.ProgramPublished{Program: programsev.Program{ID: "prog-1", HostID: host, Title: "AI for disaster resilience"}})
	// The program's title must be known before the application names it.
	time.Sleep(300 * time.Millisecond)
	sub := publish(t, env, events.ApplicationSubmitted, "appl-1", 1, matchingev.ApplicationSubmitted{ApplicationID: "appl-1", ApplicantID: applicant, ProgramID: "prog-1", HostID: host})
	// A redelivery of the same event (another message id, same event id).
	raw, _ := sub.Marshal()
	if _, err := env.Deps.Bus.Publish(context.Background(), sub.Type, "again-"+sub.ID, raw, nil); err != nil {
		t.Fatal(err)
	}
	publish(t, env, events.MatchProposed, "m-1", 1, matchingev.MatchChanged{MatchID: "m-1", ApplicantID: applicant, ProgramID: "prog-1", HostID: host, Status: "proposed"})
	publish(t, env, events.MatchPublished, "m-1", 3, matchingev.MatchChanged{MatchID: "m-1", ApplicantID: applicant, ProgramID: "prog-1", HostID: host, Status: "published"})
	publish(t, env, events.OfferAccepted, "m-1", 4, matchingev.MatchChanged{MatchID: "m-1", ApplicantID: applicant, ProgramID: "prog-1", HostID: host, Status: "accepted"})

	pa := waitCodes(t, env, tokA, 3)
	want := map[string]bool{"application.submitted": true, "offer.received": true, "offer.accepted.self": true}
	for _, n := range pa.Items {
		if !want[n.Code] {
			t.Errorf("applicant's inbox has %s (%q); proposals must not be announced before publishing", n.Code, n.Text)
		}
		if n.Params["program"] != "AI for disaster resilience" {
			t.Errorf("notification %s names program %q, want its title", n.Code, n.Params["program"])
		}
	}
	ph := waitCodes(t, env, tokH, 3)
	wantHost := map[string]bool{"application.received": true, "match.published": true, "offer.accepted": true}
	for _, n := range ph.Items {
		if !wantHost[n.Code] {
			t.Errorf("host's inbox has %s, want only %v", n.Code, wantHost)
		}
		delete(wantHost, n.Code)
	}
	if p := inbox(t, env, tokO); len(p.Items) != 0 {
		t.Errorf("an unrelated applicant sees %v", codes(p))
	}

	// Marking read: own notification 204, someone else's 404.
	id := pa.Items[0].ID
	if r := env.Do(t, "POST", "/api/v1/notifications/"+id+"/read", tokO, nil); r.Status != http.StatusNotFound {
		t.Errorf("another user marking %s read = %d, want 404", id, r.Status)
	}
	if r := env.Do(t, "POST", "/api/v1/notifications/"+id+"/read", tokA, nil); r.Status != http.StatusNoContent {
		t.Errorf("owner marking read = %d %s, want 204", r.Status, r.Body)
	}
	if p := inbox(t, env, tokA); p.Unread != 2 {
		t.Errorf("unread = %d after reading one of 3, want 2", p.Unread)
	}
	if r := env.Do(t, "GET", "/api/v1/notifications/me", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous GET /notifications/me = %d, want 401", r.Status)
	}
	if r := env.Do(t, "GET", "/api/v1/notifications/me?pageSize=500", tokA, nil); r.Status != http.StatusBadRequest {
		t.Errorf("pageSize=500 = %d, want 400", r.Status)
	}
	// Issue 16, finding 5: a page whose skip overflowed was a 500.
	for _, page := range []string{"99999999999999999", "10001"} {
		r := env.Do(t, "GET", "/api/v1/notifications/me?page="+page, tokA, nil)
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"field":"page"`) {
			t.Errorf("page=%s = %d %s, want 400 naming page", page, r.Status, r.Body)
		}
	}

	// Erasure empties the applicant's inbox; the host's stays.
	publish(t, env, events.ProfileErased, applicant, 5, profilesev.ProfileErased{ProfileID: applicant})
	waitCodes(t, env, tokA, 0)
	if p := inbox(t, env, tokH); len(p.Items) != 3 {
		t.Errorf("host's inbox lost entries on the applicant's erasure: %v", codes(p))
	}
}

func TestVerifiedHostIsTold(t *testing.T) {
	env := start(t)
	tok := env.Issuer.Token(t, "host-9", auth.RoleHost)
	publish(t, env, events.UserVerified, "host-9", 2, identityev.UserVerified{UserID: "host-9", Role: auth.RoleHost, VerifiedBy: "coord-1"})
	p := waitCodes(t, env, tok, 1)
	if p.Items[0].Code != "account.verified" {
		t.Errorf("host's inbox = %v, want account.verified", codes(p))
	}
	publish(t, env, events.UserDeleted, "host-9", 3, identityev.UserDeleted{UserID: "host-9", Role: auth.RoleHost})
	// The erased account's token is refused now (issue 16, finding 1), so
	// the inbox is checked where it is stored.
	platformtest.Eventually(t, 15*time.Second, func() error {
		n, err := env.Deps.DB("identity").Collection("notifications").CountDocuments(context.Background(),
			bson.D{{Key: "userId", Value: "host-9"}})
		if err != nil || n != 0 {
			return fmt.Errorf("%d notifications of the erased host remain (%v)", n, err)
		}
		return nil
	})
	// The revocation has a consumer of its own, which may come after the
	// inbox's on a busy machine.
	platformtest.Eventually(t, 15*time.Second, func() error {
		if r := env.Do(t, "GET", "/api/v1/notifications/me", tok, nil); r.Status != http.StatusUnauthorized {
			return fmt.Errorf("GET /notifications/me with the erased host's token = %d, want 401", r.Status)
		}
		return nil
	})
}

// An offer that expires unanswered is told to its applicant and to the
// host, whose seat is free again.
func TestInboxTellsOfExpiredOffers(t *testing.T) {
	env := start(t)
	applicant, host := "app-x", "host-x"
	publish(t, env, events.ProgramPublished, "prog-x", 1, programsev.ProgramPublished{Program: programsev.Program{ID: "prog-x", HostID: host, Title: "Tsunami sensing"}})
	time.Sleep(300 * time.Millisecond)
	publish(t, env, events.OfferReminder, "m-x", 3, matchingev.MatchChanged{MatchID: "m-x", ApplicantID: applicant, ProgramID: "prog-x", HostID: host, Status: "published"})
	publish(t, env, events.OfferExpired, "m-x", 4, matchingev.MatchChanged{MatchID: "m-x", ApplicantID: applicant, ProgramID: "prog-x", HostID: host, Status: "expired"})
	for who, want := range map[string][]string{applicant: {"offer.expired.self", "offer.reminder"}, host: {"offer.expired"}} {
		role := auth.RoleApplicant
		if who == host {
			role = auth.RoleHost
		}
		p := waitCodes(t, env, env.Issuer.Token(t, who, role), len(want))
		got := codes(p)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s's notifications = %v, want %v", who, got, want)
		}
		for _, n := range p.Items {
			if n.Params["program"] != "Tsunami sensing" || !strings.Contains(n.Text, "expire") {
				t.Errorf("%s's notification %s = %q, want the program and its deadline", who, n.Code, n.Text)
			}
		}
	}
}

// The inbox remembers program titles for a minute, but a program's own
// update is seen at once: the next notification names the new title.
func TestInboxNamesProgramsByTheirLatestTitle(t *testing.T) {
	env := start(t)
	host := "host-1"
	tokH := env.Issuer.Token(t, host, auth.RoleHost)
	publish(t, env, events.ProgramPublished, "prog-1", 1, programsev.ProgramPublished{Program: programsev.Program{ID: "prog-1", HostID: host, Title: "Old title"}})
	time.Sleep(300 * time.Millisecond)
	publish(t, env, events.ApplicationSubmitted, "appl-1", 1, matchingev.ApplicationSubmitted{ApplicationID: "appl-1", ApplicantID: "app-1", ProgramID: "prog-1", HostID: host})
	waitCodes(t, env, tokH, 1)
	publish(t, env, events.ProgramUpdated, "prog-1", 2, programsev.ProgramUpdated{Program: programsev.Program{ID: "prog-1", HostID: host, Title: "New title"}})
	time.Sleep(300 * time.Millisecond)
	publish(t, env, events.ApplicationSubmitted, "appl-2", 1, matchingev.ApplicationSubmitted{ApplicationID: "appl-2", ApplicantID: "app-2", ProgramID: "prog-1", HostID: host})
	p := waitCodes(t, env, tokH, 2)
	titles := map[string]bool{}
	for _, n := range p.Items {
		titles[n.Params["program"]] = true
	}
	if !titles["Old title"] || !titles["New title"] {
		t.Errorf("the host's notifications name %v, want the old title and then the new one", titles)
	}
}

// A rank import tells each applicant once how many applications it
// recorded for them, not once per application, and sends their hosts
// nothing (they find them among their candidates).
func TestInboxTellsOfImportedApplicationsOnce(t *testing.T) {
	env := start(t)
	applicant, host := "app-imp", "host-imp"
	tokA := env.Issuer.Token(t, applicant, auth.RoleApplicant)
	tokH := env.Issuer.Token(t, host, auth.RoleHost)
	publish(t, env, events.ApplicationsImported, applicant, 1, matchingev.ApplicationsImported{
		ApplicantID: applicant, RoundID: "round-9", RoundName: "National round 9", SubmittedAt: time.Now().UTC(),
		Applications: []matchingev.ImportedApplication{
			{ApplicationID: "imp-1", ProgramID: "prog-1", HostID: host},
			{ApplicationID: "imp-2", ProgramID: "prog-2", HostID: host},
			{ApplicationID: "imp-3", ProgramID: "prog-3", HostID: host},
		},
	})
	// Something the host does hear of, after it, to know the import's
	// turn has passed.
	publish(t, env, events.ApplicationWithdrawn, "imp-3", 2, matchingev.ApplicationWithdrawn{ApplicationID: "imp-3", ApplicantID: applicant, ProgramID: "prog-3", HostID: host})
	pa := waitCodes(t, env, tokA, 1)
	if len(pa.Items) != 1 || pa.Items[0].Code != "applications.imported" || pa.Items[0].Params["count"] != "3" ||
		pa.Items[0].Params["round"] != "National round 9" || pa.Items[0].Link != "/applications" {
		t.Fatalf("applicant's inbox: %+v, want one applications.imported for 3 applications in National round 9", pa.Items)
	}
	ph := waitCodes(t, env, tokH, 1)
	if len(ph.Items) != 1 || ph.Items[0].Code != "application.withdrawn" {
		t.Fatalf("host's inbox: %+v, want only the withdrawal", ph.Items)
	}
}
