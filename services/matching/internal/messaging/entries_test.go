package messaging

import (
	"errors"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

func mustEvent(t testing.TB, source, typ, subject string, version int64, payload any) events.Envelope {
	t.Helper()
	ev, err := events.New(source, typ, subject, version, payload)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestEntries checks how profile and program events become read-model
// entries, for the read model and the recommendations alike.
func TestEntries(t *testing.T) {
	created := time.Date(2026, 11, 2, 10, 0, 0, 123456789, time.UTC)
	snap := profilesev.ProfileUpdated{Profile: profilesev.Profile{ID: "a1", HomeCountry: "IN", Skills: []string{"nlp"}, CreatedAt: created}}

	p, err := profileEntry(mustEvent(t, profilesev.Source, events.ProfileUpdated, "a1", 4, snap))
	if err != nil || p.ID != "a1" || p.Version != 4 || p.Erased || p.HomeCountry != "IN" ||
		!p.CreatedAt.Equal(created.Truncate(time.Millisecond)) {
		t.Errorf("profile.updated = %+v, %v; want a1 at version 4 from IN, created at %v", p, err, created)
	}
	// A payload without its id takes the subject's.
	anon := snap
	anon.ID = ""
	if p, err := profileEntry(mustEvent(t, profilesev.Source, events.ProfileCreated, "a1", 1, anon)); err != nil || p.ID != "a1" {
		t.Errorf("profile.created without id in data = %+v, %v; want a1", p, err)
	}

	erase := mustEvent(t, profilesev.Source, events.ProfileErased, "a1", 5, profilesev.ProfileErased{ProfileID: "a1"})
	p, err = profileEntry(erase)
	if err != nil || !p.Erased || p.ID != "a1" || p.Version != 5 || !p.ErasedAt.Equal(erase.Time) || p.HomeCountry != "" {
		t.Errorf("profile.erased = %+v, %v; want the tombstone of a1 at version 5, erased at %v", p, err, erase.Time)
	}

	prog := programsev.ProgramUpdated{Program: programsev.Program{ID: "g1", Title: "Robots", Seats: 3, Status: programsev.StatusPublished}}
	g, err := programEntry(mustEvent(t, programsev.Source, events.ProgramUpdated, "g1", 2, prog))
	if err != nil || g.ID != "g1" || g.Version != 2 || g.Seats != 3 || g.Status != programsev.StatusPublished {
		t.Errorf("program.updated = %+v, %v; want g1 at version 2 with 3 seats, published", g, err)
	}

	for _, tc := range []struct {
		name string
		ev   events.Envelope
	}{
		{"profile naming another id", mustEvent(t, profilesev.Source, events.ProfileUpdated, "a2", 1, snap)},
		{"erasure naming another id", mustEvent(t, profilesev.Source, events.ProfileErased, "a2", 1, profilesev.ProfileErased{ProfileID: "a1"})},
		{"profile data not an object", mustEvent(t, profilesev.Source, events.ProfileUpdated, "a1", 1, []int{1})},
		{"program naming another id", mustEvent(t, programsev.Source, events.ProgramClosed, "g2", 1, prog)},
	} {
		if _, err := profileOrProgram(tc.ev); !errors.Is(err, events.ErrMalformed) {
			t.Errorf("%s: error = %v, want malformed", tc.name, err)
		}
	}
	if _, err := profileEntry(mustEvent(t, programsev.Source, events.ProgramUpdated, "g1", 1, prog)); err == nil {
		t.Error("a program event read as a profile: no error")
	}
	if _, err := programEntry(erase); err == nil {
		t.Error("a profile event read as a program: no error")
	}
}

// profileOrProgram reads ev with the reader of its stream.
func profileOrProgram(ev events.Envelope) (any, error) {
	switch ev.Type {
	case events.ProgramPublished, events.ProgramUpdated, events.ProgramClosed:
		return programEntry(ev)
	}
	return profileEntry(ev)
}

// FuzzEntries feeds the readers what anyone allowed to publish on the
// profile and program subjects could: an entry they accept belongs to the
// event's subject, and a tombstone holds nothing but its id, version and
// time.
func FuzzEntries(f *testing.F) {
	for _, ev := range []events.Envelope{
		mustEvent(f, profilesev.Source, events.ProfileCreated, "a1", 1, profilesev.ProfileUpdated{Profile: profilesev.Profile{ID: "a1", Name: "A"}}),
		mustEvent(f, profilesev.Source, events.ProfileErased, "a1", 2, profilesev.ProfileErased{ProfileID: "a1"}),
		mustEvent(f, programsev.Source, events.ProgramPublished, "g1", 1, programsev.ProgramUpdated{Program: programsev.Program{ID: "g1"}}),
	} {
		data, err := ev.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := events.Parse(data)
		if err != nil {
			return
		}
		if p, err := profileEntry(ev); err == nil {
			if p.ID != ev.Subject || p.ID == "" {
				t.Fatalf("profile entry %q from an event about %q", p.ID, ev.Subject)
			}
			if p.Erased && (p.Name != "" || p.Statement != "" || len(p.Skills) > 0 || p.HomeCountry != "") {
				t.Fatalf("tombstone with data: %+v", p)
			}
		}
		if g, err := programEntry(ev); err == nil && (g.ID != ev.Subject || g.ID == "") {
			t.Fatalf("program entry %q from an event about %q", g.ID, ev.Subject)
		}
	})
}
