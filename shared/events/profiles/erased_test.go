package profiles

import (
	"errors"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
)

func TestErasedPerson(t *testing.T) {
	ev := func(typ, subject string, data any) events.Envelope {
		t.Helper()
		e, err := events.New("test", typ, subject, 1, data)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	tests := []struct {
		name string
		ev   events.Envelope
		want string
		bad  bool
	}{
		{"user deleted", ev(events.UserDeleted, "u1", identity.UserDeleted{UserID: "u1", DeletedAt: time.Now()}), "u1", false},
		{"profile erased", ev(events.ProfileErased, "p1", ProfileErased{ProfileID: "p1"}), "p1", false},
		{"id only in the subject", ev(events.ProfileErased, "p2", ProfileErased{}), "p2", false},
		{"no id at all", ev(events.UserDeleted, "", identity.UserDeleted{}), "", true},
		{"not an erasure", ev(events.ProfileUpdated, "p3", ProfileErased{ProfileID: "p3"}), "", true},
	}
	for _, tc := range tests {
		got, err := ErasedPerson(tc.ev)
		if tc.bad {
			if !errors.Is(err, events.ErrMalformed) {
				t.Errorf("%s: ErasedPerson = %q, %v; want a malformed event", tc.name, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: ErasedPerson = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}
