package profiles

import (
	"context"
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

func TestErasureHandler(t *testing.T) {
	var erased []string
	failing := errors.New("store down")
	fail := false
	h := ErasureHandler(func(_ context.Context, id string) error {
		if fail {
			return failing
		}
		erased = append(erased, id)
		return nil
	})
	ev, err := events.New("test", events.ProfileErased, "p9", 1, ProfileErased{ProfileID: "p9"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h(context.Background(), ev); err != nil || len(erased) != 1 || erased[0] != "p9" {
		t.Errorf("handler = %v, erased %v; want p9 erased", err, erased)
	}
	fail = true
	if err := h(context.Background(), ev); !errors.Is(err, failing) {
		t.Errorf("a failed erasure gives %v, want the store's error (so the event comes again)", err)
	}
	bad, _ := events.New("test", events.ProfileUpdated, "p9", 2, ProfileErased{ProfileID: "p9"})
	if err := h(context.Background(), bad); !errors.Is(err, events.ErrMalformed) {
		t.Errorf("a non-erasure event gives %v, want malformed", err)
	}
}
