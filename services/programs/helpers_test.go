package programs_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/services/programs/internal/mongostore"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/platformtest"
)

// testClock is the real clock plus an offset the test moves forward, so
// time keeps running (search snapshots need that) and deadlines can pass.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// fast is a configuration with short intervals for tests.
var fast = programs.Config{CloseInterval: 100 * time.Millisecond, RefreshInterval: 200 * time.Millisecond, RelayInterval: 200 * time.Millisecond}

type env struct {
	*platformtest.Env
	clock *testClock
}

func start(t *testing.T, o platformtest.Options, clock *testClock) *env {
	t.Helper()
	return startWith(t, o, clock, fast)
}

func startWith(t *testing.T, o platformtest.Options, clock *testClock, cfg programs.Config) *env {
	t.Helper()
	if clock == nil {
		clock = &testClock{}
	}
	e := platformtest.Start(t, o, programs.NewWith(programs.Options{Config: cfg, Clock: clock.Now}))
	return &env{Env: e, clock: clock}
}

// publish puts an event on the bus as its producer would.
func (e *env) publish(t *testing.T, subject, aggregate string, version int64, payload any) {
	t.Helper()
	platformtest.Publish(t, e.Deps.Bus, platformtest.Event(t, "test", subject, aggregate, version, payload))
}

// host signs up a host account (pending) and returns its id and token.
func (e *env) host(t *testing.T) (string, string) {
	t.Helper()
	id := uuid.NewString()
	e.publish(t, events.UserCreated, id, 1, identity.UserCreated{UserID: id, Role: auth.RoleHost, Status: "pending", Name: "Host", CreatedAt: time.Now()})
	return id, e.Issuer.Token(t, id, auth.RoleHost)
}

// verifiedHost signs up a host, verifies it and waits until the service
// has recorded the verification (a pending host may already keep drafts,
// so only the stored fact tells that publishing is allowed).
func (e *env) verifiedHost(t *testing.T) (string, string) {
	t.Helper()
	id, token := e.host(t)
	e.publish(t, events.UserVerified, id, 2, identity.UserVerified{UserID: id, Role: auth.RoleHost, VerifiedBy: "c1", VerifiedAt: time.Now()})
	hosts := e.Deps.Mongo.Database(e.Deps.DBPrefix + programs.Database).Collection(mongostore.HostsCollection)
	platformtest.Eventually(t, 10*time.Second, func() error {
		n, err := hosts.CountDocuments(context.Background(), bson.D{{Key: "_id", Value: id + "#verified"}})
		if err != nil || n == 0 {
			return fmt.Errorf("host %s not yet verified in the store (%v)", id, err)
		}
		return nil
	})
	return id, token
}

// body is a valid program request whose dates lie ahead of the clock.
func (e *env) body(title string, change ...func(m map[string]any)) map[string]any {
	now := e.clock.Now()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	m := map[string]any{
		"title": title, "description": "A program about " + title, "kind": "joint_research",
		"hostOrg": "Tohoku University", "hostCountry": "JP", "region": "Miyagi", "fields": []string{"2.2"},
		"skills": []string{"python"}, "seats": 2,
		"startDate": day(90), "endDate": day(150), "applicationDeadline": day(30),
		"stipend":     map[string]any{"amount": 150000, "currency": "JPY", "period": "month"},
		"eligibility": map[string]any{"applicantKinds": []string{"student"}, "languages": []map[string]string{{"code": "en", "minLevel": "B2"}}},
	}
	for _, f := range change {
		f(m)
	}
	return m
}

// create posts a program and fails the test unless it is created.
func (e *env) create(t *testing.T, token string, body any) programsev.Program {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/programs", token, body)
	if r.Status != 201 {
		t.Fatalf("POST /programs = %d %s, want 201", r.Status, r.Body)
	}
	var p programsev.Program
	r.JSON(t, &p)
	return p
}

// published creates and publishes a program.
func (e *env) published(t *testing.T, token string, body any) programsev.Program {
	t.Helper()
	p := e.create(t, token, body)
	r := e.Do(t, "POST", "/api/v1/programs/"+p.ID+"/publish", token, nil)
	if r.Status != 200 {
		t.Fatalf("publish = %d %s, want 200", r.Status, r.Body)
	}
	r.JSON(t, &p)
	return p
}

// streamEvents returns every event stored on a subject of the PROGRAMS
// stream about one program.
func streamEvents(t *testing.T, bus *natsbus.Bus, subject, programID string) []events.Envelope {
	t.Helper()
	return platformtest.StreamEvents(t, bus, "PROGRAMS", platformtest.EventFilter{Type: subject, Subject: programID})
}

// waitEvents waits until n events on subject about the program are in the
// stream and returns them.
func waitEvents(t *testing.T, bus *natsbus.Bus, subject, programID string, n int) []events.Envelope {
	t.Helper()
	return platformtest.WaitEvents(t, bus, "PROGRAMS", platformtest.EventFilter{Type: subject, Subject: programID}, n)
}
