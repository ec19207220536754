package programs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/auth/authtest"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestEveryRouteHasPolicy fails when a route of the service is registered
// without an access policy, and lists the routes it expects.
func TestEveryRouteHasPolicy(t *testing.T) {
	t.Parallel()
	d := platform.Deps{
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Mongo:    mongotest.Client(t),
		DBPrefix: mongotest.Prefix(t),
		Bus:      natstest.Bus(t, natstest.Start(t), "test"),
		Auth:     authtest.New(t).Verifier(),
	}
	svc, err := programs.NewWith(programs.Options{Config: fast})(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	svc.Routes(e, e.Group(platform.APIPrefix))
	var got []string
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, platform.APIPrefix+"/") {
			continue
		}
		got = append(got, r.Method+" "+r.Path)
		if _, ok := auth.PolicyOf(r.Method, r.Path); !ok {
			t.Errorf("route %s %s has no access policy", r.Method, r.Path)
		}
	}
	want := []string{
		"GET /api/v1/programs", "POST /api/v1/programs", "POST /api/v1/programs/import",
		"GET /api/v1/programs/:id", "PUT /api/v1/programs/:id",
		"POST /api/v1/programs/:id/publish", "POST /api/v1/programs/:id/close",
		"POST /api/v1/searches", "GET /api/v1/searches/me", "DELETE /api/v1/searches/:id",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("routes = %v, want %v", got, want)
	}
	for _, r := range []struct {
		method, path string
		public       bool
	}{{"GET", "/api/v1/programs", true}, {"GET", "/api/v1/programs/:id", true}, {"POST", "/api/v1/programs", false}} {
		if p, _ := auth.PolicyOf(r.method, r.path); p.Public != r.public {
			t.Errorf("%s %s public = %v, want %v", r.method, r.path, p.Public, r.public)
		}
	}
}

func TestHostLifecycle(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	applicant := e.Issuer.Token(t, uuid.NewString(), auth.RoleApplicant)
	coordinator := e.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)

	// A host that signed up but is not verified may prepare drafts, edit
	// them, but not publish them.
	_, pending := e.host(t)
	time.Sleep(300 * time.Millisecond) // let user.created arrive
	draft := e.create(t, pending, e.body("Pending"))
	if draft.Status != "draft" {
		t.Fatalf("draft of a pending host = %+v", draft)
	}
	r := e.Do(t, "PUT", "/api/v1/programs/"+draft.ID, pending, e.body("Pending, edited"))
	if r.Status != 200 || !strings.Contains(string(r.Body), "Pending, edited") {
		t.Fatalf("PUT by a pending host = %d %s, want 200", r.Status, r.Body)
	}
	r = e.Do(t, "POST", "/api/v1/programs/"+draft.ID+"/publish", pending, nil)
	if r.Status != 403 || r.Problem(t).Code != "host_not_verified" {
		t.Fatalf("publish by a pending host = %d %s, want 403 host_not_verified", r.Status, r.Body)
	}
	if got := e.Do(t, "GET", "/api/v1/programs/"+draft.ID, "", nil); got.Status != 404 {
		t.Errorf("the refused draft is public: GET = %d", got.Status)
	}
	r = e.Do(t, "POST", "/api/v1/programs", applicant, e.body("Applicant"))
	if r.Status != 403 || r.Problem(t).Code != "forbidden_role" {
		t.Fatalf("POST by an applicant = %d %s, want 403 forbidden_role", r.Status, r.Body)
	}
	if r = e.Do(t, "POST", "/api/v1/programs", "", e.body("Anonymous")); r.Status != 401 {
		t.Fatalf("POST without a token = %d, want 401", r.Status)
	}

	hostID, host := e.verifiedHost(t)
	_, other := e.verifiedHost(t)

	p := e.create(t, host, e.body("Disaster resilience"))
	if p.Status != "draft" || p.HostID != hostID || p.Version != 1 || p.ID == "" {
		t.Fatalf("created %+v, want a draft of the host at version 1", p)
	}
	if got := p.Eligibility.HomeCountries; !slices.Equal(got, []string{"IN"}) {
		t.Errorf("default homeCountries of a program in Japan = %v, want [IN]", got)
	}
	path := "/api/v1/programs/" + p.ID

	// A draft is its host's alone.
	for _, tc := range []struct {
		who, token string
		want       int
	}{{"its host", host, 200}, {"another host", other, 404}, {"anonymous", "", 404},
		{"an applicant", applicant, 404}, {"a coordinator", coordinator, 404}} {
		if r := e.Do(t, "GET", path, tc.token, nil); r.Status != tc.want {
			t.Errorf("GET draft as %s = %d, want %d", tc.who, r.Status, tc.want)
		}
	}
	// Another host's program does not exist for them, whatever they try.
	for _, req := range []struct {
		method, path string
		body         any
	}{{"PUT", path, e.body("Hijacked")}, {"POST", path + "/publish", nil}, {"POST", path + "/close", nil}} {
		if r := e.Do(t, req.method, req.path, other, req.body); r.Status != 404 {
			t.Errorf("%s %s by another host = %d %s, want 404", req.method, req.path, r.Status, r.Body)
		}
	}
	// Wrong roles are refused before any program is looked at.
	if r := e.Do(t, "PUT", path, coordinator, e.body("Coordinator")); r.Status != 403 {
		t.Errorf("PUT by a coordinator = %d, want 403", r.Status)
	}
	if r := e.Do(t, "POST", path+"/publish", applicant, nil); r.Status != 403 {
		t.Errorf("publish by an applicant = %d, want 403", r.Status)
	}
	if r := e.Do(t, "POST", path+"/close", applicant, nil); r.Status != 403 {
		t.Errorf("close by an applicant = %d, want 403", r.Status)
	}

	// Editing a draft announces nothing.
	if r := e.Do(t, "PUT", path, host, e.body("Disaster resilience, draft 2")); r.Status != 200 {
		t.Fatalf("PUT draft = %d %s", r.Status, r.Body)
	}
	// Publishing makes it public, without its owner's account id.
	r = e.Do(t, "POST", path+"/publish", host, nil)
	if r.Status != 200 {
		t.Fatalf("publish = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &p)
	if p.Status != "published" || p.Version != 3 || p.PublishedAt == nil {
		t.Fatalf("published %+v, want status published at version 3", p)
	}
	var public programsev.Program
	r = e.Do(t, "GET", path, "", nil)
	if r.Status != 200 {
		t.Fatalf("GET published anonymously = %d", r.Status)
	}
	r.JSON(t, &public)
	if public.HostID != "" || public.Title != "Disaster resilience, draft 2" {
		t.Errorf("public view: hostId %q title %q, want no hostId and the latest title", public.HostID, public.Title)
	}
	// Publishing twice changes nothing.
	if r := e.Do(t, "POST", path+"/publish", host, nil); r.Status != 200 {
		t.Errorf("publish again = %d %s, want 200", r.Status, r.Body)
	}
	// Editing the published program announces the change.
	r = e.Do(t, "PUT", path, host, e.body("Disaster resilience 2027"))
	if r.Status != 200 {
		t.Fatalf("PUT published = %d %s", r.Status, r.Body)
	}
	// The host closes it.
	r = e.Do(t, "POST", path+"/close", host, nil)
	if r.Status != 200 {
		t.Fatalf("close = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &p)
	if p.Status != "closed" || p.ClosedReason != "host" {
		t.Errorf("closed: status %s reason %q", p.Status, p.ClosedReason)
	}
	r = e.Do(t, "PUT", path, host, e.body("After the end"))
	if r.Status != 409 || r.Problem(t).Code != "program_closed" {
		t.Errorf("PUT closed = %d %s, want 409 program_closed", r.Status, r.Body)
	}
	if r := e.Do(t, "GET", path, "", nil); r.Status != 200 {
		t.Errorf("GET closed anonymously = %d, want 200", r.Status)
	}

	// Each change of the public program was published once, with the
	// program's version, and the draft edits before it were not.
	pub := waitEvents(t, e.Deps.Bus, events.ProgramPublished, p.ID, 1)
	upd := waitEvents(t, e.Deps.Bus, events.ProgramUpdated, p.ID, 1)
	cls := waitEvents(t, e.Deps.Bus, events.ProgramClosed, p.ID, 1)
	if len(pub) != 1 || len(upd) != 1 || len(cls) != 1 {
		t.Fatalf("events: %d published, %d updated, %d closed; want one each", len(pub), len(upd), len(cls))
	}
	for _, tc := range []struct {
		ev      events.Envelope
		version int64
		status  string
	}{{pub[0], 3, "published"}, {upd[0], 4, "published"}, {cls[0], 5, "closed"}} {
		var snap programsev.Program
		if err := tc.ev.Decode(&snap); err != nil {
			t.Fatal(err)
		}
		if tc.ev.AggregateVersion != tc.version || snap.Version != tc.version || snap.Status != tc.status ||
			snap.HostID != hostID || snap.Seats != 2 || snap.TitleJa != "" || len(snap.Eligibility.Languages) != 1 {
			t.Errorf("%s: version %d/%d status %s host %q seats %d, want version %d status %s host %s seats 2",
				tc.ev.Type, tc.ev.AggregateVersion, snap.Version, snap.Status, snap.HostID, snap.Seats, tc.version, tc.status, hostID)
		}
	}

	// A coordinator may close any published program; the reason says who.
	q := e.published(t, other, e.body("Robotics"))
	r = e.Do(t, "POST", "/api/v1/programs/"+q.ID+"/close", coordinator, nil)
	if r.Status != 200 {
		t.Fatalf("close by a coordinator = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &q)
	if q.Status != "closed" || q.ClosedReason != "coordinator" {
		t.Errorf("closed by a coordinator: status %s reason %q", q.Status, q.ClosedReason)
	}
	// Unknown ids are 404 for everyone.
	if r := e.Do(t, "GET", "/api/v1/programs/"+uuid.NewString(), host, nil); r.Status != 404 {
		t.Errorf("GET unknown id = %d, want 404", r.Status)
	}
}

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	tests := []struct {
		name   string
		body   any
		fields []string
	}{
		{"language level off its scale", e.body("x", func(m map[string]any) {
			m["eligibility"] = map[string]any{"languages": []map[string]string{{"code": "ja", "minLevel": "C1"}}}
		}), []string{"eligibility.languages[0].minLevel"}},
		{"several at once", e.body("x", func(m map[string]any) {
			m["seats"] = 20000
			m["region"] = "Kerala"
			m["fields"] = []string{"7.7"}
			m["eligibility"] = map[string]any{"homeCountries": []string{"US"}, "minAge": 30, "maxAge": 20}
		}), []string{"region", "fields[0]", "seats", "eligibility.homeCountries[0]", "eligibility.minAge"}},
		{"dates out of order", e.body("x", func(m map[string]any) {
			m["endDate"] = "2020-01-01"
		}), []string{"endDate"}},
		{"status may not be set", e.body("x", func(m map[string]any) { m["status"] = "published" }), []string{"status"}},
		{"id may not be set", e.body("x", func(m map[string]any) { m["id"] = "mine" }), []string{"id"}},
		{"hostId may not be set", e.body("x", func(m map[string]any) { m["hostId"] = "someone" }), []string{"hostId"}},
		{"seats must be a number", e.body("x", func(m map[string]any) { m["seats"] = "two" }), []string{"seats"}},
		{"stipend needs an amount", e.body("x", func(m map[string]any) {
			m["stipend"] = map[string]any{"currency": "JPY", "period": "month"}
		}), []string{"stipend.amount"}},
	}
	for _, tc := range tests {
		r := e.Do(t, "POST", "/api/v1/programs", host, tc.body)
		if r.Status != 400 {
			t.Errorf("%s: status %d %s, want 400", tc.name, r.Status, r.Body)
			continue
		}
		p := r.Problem(t)
		var got []string
		for _, f := range p.Errors {
			got = append(got, f.Field)
			if f.Reason == "" {
				t.Errorf("%s: field %s has no reason", tc.name, f.Field)
			}
		}
		if !slices.Equal(got, tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
		}
	}
	// A body that is not JSON.
	req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/programs", strings.NewReader("title=x"))
	req.Header.Set("Authorization", "Bearer "+host)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Errorf("form body = %d, want 415", resp.StatusCode)
	}
	// Nothing of the above was stored.
	var list struct{ Total int }
	time.Sleep(5 * time.Millisecond)
	e.Do(t, "GET", "/api/v1/programs?mine=true", host, nil).JSON(t, &list)
	if list.Total != 0 {
		t.Errorf("host has %d programs after refused writes, want 0", list.Total)
	}
}

func TestRoundCompletedLocksSeatsAndEligibility(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	p := e.published(t, host, e.body("Locked"))
	other := e.published(t, host, e.body("Not in the round"))
	path := "/api/v1/programs/" + p.ID

	// Before the round, seats may change.
	if r := e.Do(t, "PUT", path, host, e.body("Locked", func(m map[string]any) { m["seats"] = 3 })); r.Status != 200 {
		t.Fatalf("PUT seats before the round = %d %s", r.Status, r.Body)
	}
	round := uuid.NewString()
	payload := matching.RoundCompleted{RoundID: round, Name: "Spring", ProgramIDs: []string{p.ID, uuid.NewString()}, CompletedAt: time.Now()}
	// Delivered twice (as after a redelivery): the second changes nothing.
	e.publish(t, events.RoundCompleted, round, 1, payload)
	e.publish(t, events.RoundCompleted, round, 1, payload)

	platformtest.Eventually(t, 10*time.Second, func() error {
		var got programsev.Program
		r := e.Do(t, "GET", path, host, nil)
		if r.Status != 200 {
			return errString(fmt.Sprintf("GET = %d %s", r.Status, r.Body))
		}
		r.JSON(t, &got)
		if !got.Locked {
			return errString("not locked yet")
		}
		return nil
	})
	tests := []struct {
		name   string
		change func(m map[string]any)
		status int
		code   string
	}{
		{"seats", func(m map[string]any) { m["seats"] = 5 }, 409, "program_locked"},
		{"eligibility", func(m map[string]any) { m["eligibility"] = map[string]any{} }, 409, "program_locked"},
		{"reserves", func(m map[string]any) { m["reserves"] = []map[string]any{{"category": "rural", "seats": 1}} }, 409, "program_locked"},
		{"reserve order", func(m map[string]any) { m["reserveOrder"] = "first" }, 409, "program_locked"},
		{"title", func(m map[string]any) { m["title"] = "Still editable" }, 200, ""},
	}
	for _, tc := range tests {
		body := e.body("Locked", func(m map[string]any) { m["seats"] = 3 }, tc.change)
		r := e.Do(t, "PUT", path, host, body)
		if r.Status != tc.status || (tc.code != "" && r.Problem(t).Code != tc.code) {
			t.Errorf("PUT %s after the round = %d %s, want %d %s", tc.name, r.Status, r.Body, tc.status, tc.code)
		}
	}
	// A program outside the round stays editable.
	if r := e.Do(t, "PUT", "/api/v1/programs/"+other.ID, host, e.body("Free", func(m map[string]any) { m["seats"] = 9 })); r.Status != 200 {
		t.Errorf("PUT seats of a program outside the round = %d %s", r.Status, r.Body)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
