package messaging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/natstest"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// snapshot is a read model as the load finds it.
type snapshot struct {
	profiles []domain.Profile
	programs []domain.Program
}

func (s snapshot) AllProfiles(context.Context) ([]domain.Profile, error) { return s.profiles, nil }
func (s snapshot) AllPrograms(context.Context) ([]domain.Program, error) { return s.programs, nil }

func testProgram(id string) programsev.Program {
	day := func(d int) string { return time.Now().AddDate(0, 0, d).UTC().Format(eligibility.DateLayout) }
	return programsev.Program{ID: id, HostID: "h1", Title: "Program " + id, Description: "Machine learning for robots",
		Kind: taxonomy.ProgramJointResearch, HostCountry: "JP", Fields: []string{"1.2"}, Skills: []string{"python"}, Seats: 2,
		StartDate: day(90), EndDate: day(180), ApplicationDeadline: day(30), ClosesAt: time.Now().AddDate(0, 0, 30),
		Eligibility: eligibility.Rules{HomeCountries: []string{"IN"}}, Status: programsev.StatusPublished}
}

func testProfile(id, country string) profilesev.Profile {
	return profilesev.Profile{ID: id, Kind: taxonomy.ApplicantStudent, HomeCountry: country, Fields: []string{"1.2"},
		Skills: []string{"python"}, Languages: []taxonomy.Language{{Code: "en", Level: "C1"}}, DegreeLevel: taxonomy.DegreeMaster,
		BirthYear: 2001, CreatedAt: time.Now().Add(-time.Hour)}
}

// TestFollowMissesNothing loads a read model that lags the stream (its
// consumer acknowledged only the first profile event) and checks that the
// directory gets every later event, from either stream, and then what is
// published while it follows, an erasure included.
func TestFollowMissesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bus := natstest.Bus(t, natstest.Start(t), "test")
	publish := func(source, typ, subject string, version int64, payload any) {
		t.Helper()
		if err := bus.PublishEvent(ctx, mustEvent(t, source, typ, subject, version, payload)); err != nil {
			t.Fatal(err)
		}
	}
	a1 := testProfile("a", "IN")
	publish(profilesev.Source, events.ProfileCreated, "a", 1, profilesev.ProfileUpdated{Profile: a1})
	a2 := testProfile("a", "BR") // no longer eligible
	a2.CreatedAt = a1.CreatedAt
	publish(profilesev.Source, events.ProfileUpdated, "a", 2, profilesev.ProfileUpdated{Profile: a2})
	publish(profilesev.Source, events.ProfileCreated, "b", 1, profilesev.ProfileUpdated{Profile: testProfile("b", "IN")})
	publish(programsev.Source, events.ProgramPublished, "g", 1, programsev.ProgramUpdated{Program: testProgram("g")})

	// The profiles' read-model consumer took the first event and no more;
	// the programs' has not been created yet.
	cons, err := bus.JS.CreateOrUpdateConsumer(ctx, ProfilesStream, jetstream.ConsumerConfig{
		Durable: Service + "-" + ProfilesConsumer, AckPolicy: jetstream.AckExplicitPolicy, FilterSubjects: profileSubjects})
	if err != nil {
		t.Fatal(err)
	}
	batch, err := cons.Fetch(1)
	if err != nil {
		t.Fatal(err)
	}
	for m := range batch.Messages() {
		if err := m.DoubleAck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := batch.Error(); err != nil {
		t.Fatal(err)
	}
	loaded := snapshot{profiles: []domain.Profile{domain.ProfileFromEvent(a1, 1)}}

	dir := app.NewDirectory(nil)
	fl, err := Follow(ctx, bus.JS, dir, loaded, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fl.Stop)

	recs := func(want map[string]int) {
		t.Helper()
		platformtest.Eventually(t, 5*time.Second, func() error {
			for id, n := range want {
				if got := len(dir.Recommendations(id)); got != n {
					return fmt.Errorf("%s has %d recommendations, want %d", id, got, n)
				}
			}
			return nil
		})
	}
	// b and g came after the load; a's second version made them
	// ineligible.
	recs(map[string]int{"b": 1, "a": 0})

	publish(programsev.Source, events.ProgramPublished, "g2", 1, programsev.ProgramUpdated{Program: testProgram("g2")})
	recs(map[string]int{"b": 2})
	publish(profilesev.Source, events.ProfileErased, "b", 2, profilesev.ProfileErased{ProfileID: "b"})
	recs(map[string]int{"b": 0})
	if _, _, ok := dir.Candidates("g", nil, 0, 10); !ok {
		t.Error("the directory does not hold g")
	}
}
