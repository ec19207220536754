package profiles_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

func TestEventsCreatedUpdatedErased(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)

	// Watch what is published, as it is published: after the erasure the
	// stream itself keeps only profile.erased (the snapshots are scrubbed).
	sub, err := env.Deps.Bus.NC.SubscribeSync("tb.profiles.v1.>")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	var evs []events.Envelope
	collect := func(want int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for len(evs) < want && time.Now().Before(deadline) {
			m, err := sub.NextMsg(time.Until(deadline))
			if err != nil {
				break
			}
			if ev, err := events.Parse(m.Data); err == nil && ev.Subject == user {
				evs = append(evs, ev)
			}
		}
		if len(evs) < want {
			t.Fatalf("%d events published for the profile, want %d", len(evs), want)
		}
	}

	create(t, env, tok, profileBody())
	collect(1)

	// Saving the same profile again changes nothing and publishes nothing.
	mustStatus(t, env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, profileBody()), http.StatusOK, "PUT unchanged")
	upd := with(profileBody(), "skills", []any{"speech recognition"})
	mustStatus(t, env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, upd), http.StatusOK, "PUT changed")
	collect(2)
	mustStatus(t, env.Do(t, http.MethodDelete, "/api/v1/profiles/me", tok, nil), http.StatusNoContent, "DELETE /profiles/me")
	collect(3)
	// Room for a duplicate to show up.
	if m, err := sub.NextMsg(300 * time.Millisecond); err == nil {
		if ev, err := events.Parse(m.Data); err == nil && ev.Subject == user {
			evs = append(evs, ev)
		}
	}

	want := []struct {
		typ     string
		version int64
	}{
		{events.ProfileCreated, 1}, {events.ProfileUpdated, 2}, {events.ProfileErased, 3},
	}
	if len(evs) != len(want) {
		t.Fatalf("PROFILES holds %d events for the profile, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		if evs[i].Type != w.typ || evs[i].AggregateVersion != w.version || evs[i].Source != profilesev.Source {
			t.Errorf("event %d = %s v%d from %s, want %s v%d from profiles", i, evs[i].Type, evs[i].AggregateVersion, evs[i].Source, w.typ, w.version)
		}
	}

	var created profilesev.ProfileCreated
	platformtest.DecodeJSON(t, evs[0].Data, &created)
	if created.ID != user || created.Name != "Asha Rao" || created.BirthYear != 2001 || created.Gender != "female" ||
		!created.Consents.VisibleToHosts || len(created.Languages) != 2 || created.Languages[1].Level != "N4" ||
		created.Preferences.HostRegions[0] != "Tokyo" || created.Statement == "" || created.AvailableFrom != "2027-04-01" {
		t.Errorf("profile.created payload = %+v, want the full snapshot", created)
	}
	if c := created.Categories; len(c) != 2 || c[0] != "women" || !created.Consents.Categories || created.Consents.Recorded.Categories.At.IsZero() {
		t.Errorf("profile.created categories = %v consent %+v, want [women first_generation] under a recorded consent", c, created.Consents)
	}
	var updated profilesev.ProfileUpdated
	platformtest.DecodeJSON(t, evs[1].Data, &updated)
	if len(updated.Skills) != 1 || updated.Skills[0] != "speech recognition" {
		t.Errorf("profile.updated skills = %v, want [speech recognition]", updated.Skills)
	}
	var erased map[string]any
	platformtest.DecodeJSON(t, evs[2].Data, &erased)
	if len(erased) != 1 || erased["profileId"] != user {
		t.Errorf("profile.erased payload = %v, want only {profileId: %s}", erased, user)
	}
}

// TestConcurrentUpdates saves the same profile from several requests at
// once: every save lands, versions never repeat, and each change has its
// own event.
func TestConcurrentUpdates(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)
	create(t, env, tok, profileBody())
	const n = 5
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			body := with(profileBody(), "skills", []any{"skill " + string(rune('a'+i))})
			statuses <- env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, body).Status
		}()
	}
	for range n {
		if s := <-statuses; s != http.StatusOK {
			t.Errorf("concurrent PUT /profiles/me = %d, want 200", s)
		}
	}
	var v apiprofiles.Profile
	env.Do(t, http.MethodGet, "/api/v1/profiles/me", tok, nil).JSON(t, &v)
	if v.Version != n+1 {
		t.Errorf("version after %d concurrent saves = %d, want %d", n, v.Version, n+1)
	}
	evs := waitEvents(t, env, "PROFILES", user, n+1)
	for i, ev := range evs {
		if ev.AggregateVersion != int64(i+1) {
			t.Errorf("event %d has version %d, want %d", i, ev.AggregateVersion, i+1)
		}
	}
}
