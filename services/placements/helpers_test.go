package placements_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/placements"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

// testEnv is the service with a clock the test moves.
type testEnv struct {
	*platformtest.Env
	clock *platformtest.Clock
}

// start runs the service with its clock at now and a fast overdue sweep.
func start(t testing.TB, now time.Time) testEnv {
	t.Helper()
	clock := platformtest.NewClock(now)
	env := platformtest.Start(t, platformtest.Options{}, placements.NewWithOptions(placements.Options{
		Config: &placements.Config{OverdueEvery: 100 * time.Millisecond}, Now: clock.Now}))
	return testEnv{Env: env, clock: clock}
}

// person is a signed-in user of a role.
type person struct {
	id, token string
}

func newPerson(t testing.TB, env testEnv, role string) person {
	t.Helper()
	id := uuid.NewString()
	return person{id: id, token: env.Issuer.Token(t, id, role)}
}

func publish(t testing.TB, env testEnv, ev events.Envelope) events.Envelope {
	t.Helper()
	return platformtest.Publish(t, env.Deps.Bus, ev)
}

// program publishes a program as the programs service does.
func program(t testing.TB, env testEnv, id, hostID, hostCountry, kind, start, end string, version int64) {
	t.Helper()
	typ := events.ProgramPublished
	if version > 1 {
		typ = events.ProgramUpdated
	}
	publish(t, env, platformtest.Event(t, programs.Source, typ, id, version, programs.Program{ID: id, HostID: hostID,
		Title: "Program " + id[:8], Kind: kind, HostCountry: hostCountry, Region: "Miyagi", Fields: []string{"1.2"},
		StartDate: start, EndDate: end, Status: programs.StatusPublished}))
}

// profile publishes an applicant's profile as the profiles service does.
func profile(t testing.TB, env testEnv, id, home string) {
	t.Helper()
	publish(t, env, platformtest.Event(t, profilesev.Source, events.ProfileCreated, id, 1,
		profilesev.Profile{ID: id, Kind: "researcher", Name: "Asha", HomeCountry: home, Region: "Tamil Nadu"}))
}

// accept publishes offer.accepted as the matching service does.
func accept(t testing.TB, env testEnv, matchID, applicantID, programID, hostID string) events.Envelope {
	t.Helper()
	return publish(t, env, platformtest.Event(t, matching.Source, events.OfferAccepted, matchID, 5, matching.MatchChanged{
		MatchID: matchID, ApplicantID: applicantID, ProgramID: programID, HostID: hostID,
		Status: matching.StatusAccepted, ActorID: applicantID, At: time.Now().UTC()}))
}

func get(t testing.TB, env testEnv, path, token string) platformtest.Response {
	t.Helper()
	return env.Do(t, http.MethodGet, path, token, nil)
}

func post(t testing.TB, env testEnv, path, token string, body any) platformtest.Response {
	t.Helper()
	return env.Do(t, http.MethodPost, path, token, body)
}

func mustStatus(t testing.TB, r platformtest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s = %d %s, want %d", what, r.Status, r.Body, want)
	}
}

func mustProblem(t testing.TB, r platformtest.Response, status int, code, what string) {
	t.Helper()
	mustStatus(t, r, status, what)
	if p := r.Problem(t); p.Code != code {
		t.Fatalf("%s problem code = %q (%s), want %q", what, p.Code, p.Detail, code)
	}
}

// waitMine waits until the applicant has n placements and returns them.
func waitMine(t testing.TB, env testEnv, p person, n int) []api.Placement {
	t.Helper()
	var got api.Placements
	platformtest.Eventually(t, 20*time.Second, func() error {
		r := get(t, env, "/api/v1/placements/me", p.token)
		if r.Status != http.StatusOK {
			return errorf("GET /placements/me = %d %s", r.Status, r.Body)
		}
		got = api.Placements{}
		r.JSON(t, &got)
		if len(got.Items) != n {
			return errorf("%d placements, want %d", len(got.Items), n)
		}
		return nil
	})
	return got.Items
}

// scenario is a Japanese host's fellowship and an applicant from India
// who accepted its offer.
type scenario struct {
	env            testEnv
	host, appl     person
	coord          person
	programID      string
	matchID        string
	placement      api.Placement
	accepted       events.Envelope
	start, endDate string
}

func newScenario(t testing.TB, env testEnv, kind string) scenario {
	t.Helper()
	s := scenario{env: env, host: newPerson(t, env, auth.RoleHost), appl: newPerson(t, env, auth.RoleApplicant),
		coord: newPerson(t, env, auth.RoleCoordinator), programID: uuid.NewString(), matchID: uuid.NewString(),
		start: "2027-06-01", endDate: "2027-11-30"}
	program(t, env, s.programID, s.host.id, "JP", kind, s.start, s.endDate, 1)
	profile(t, env, s.appl.id, "IN")
	s.accepted = accept(t, env, s.matchID, s.appl.id, s.programID, s.host.id)
	s.placement = waitMine(t, env, s.appl, 1)[0]
	return s
}
