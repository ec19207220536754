package profiles_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/platformtest"
)

// traces scans every document of every collection of the profiles
// database for the given strings and describes where it found any.
func traces(t *testing.T, env *platformtest.Env, needles ...string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db := env.Deps.DB(profiles.Database)
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("the profiles database has no collections; the scan would prove nothing")
	}
	var found []string
	for _, n := range names {
		cur, err := db.Collection(n).Find(ctx, bson.D{})
		if err != nil {
			return err
		}
		for cur.Next(ctx) {
			// Raw BSON, so strings nested anywhere (the outbox's event
			// bytes too) are seen; ext JSON catches escaped forms.
			raw := []byte(cur.Current)
			ext, _ := bson.MarshalExtJSON(cur.Current, false, false)
			for _, s := range needles {
				if bytes.Contains(raw, []byte(s)) || bytes.Contains(ext, []byte(s)) {
					found = append(found, fmt.Sprintf("%q in %s", s, n))
				}
			}
		}
		if err := cur.Err(); err != nil {
			return err
		}
		_ = cur.Close(ctx)
	}
	if len(found) > 0 {
		return fmt.Errorf("personal data remains: %s", strings.Join(found, ", "))
	}
	return nil
}

func TestEraseByDelete(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)
	name, statement := "Zoya Quraishi", "My statement mentions tsunami-sensing-7731."
	create(t, env, tok, with(with(profileBody(), "name", name), "statement", statement))
	host := uuid.NewString()
	publish(t, env, submitted(t, "app-z", user, host, 1))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 1)
	if err := traces(t, env, name, statement, user); err == nil {
		t.Fatal("the scan finds nothing before erasure; it would prove nothing after")
	}

	mustStatus(t, env.Do(t, http.MethodDelete, "/api/v1/profiles/me", tok, nil), http.StatusNoContent, "DELETE /profiles/me")
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET /profiles/me after erasure = %d, want 404", r.Status)
	}
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+user, coord, nil); r.Status != http.StatusNotFound {
		t.Errorf("coordinator GET erased profile = %d, want 404", r.Status)
	}
	// Within a minute nothing identifying the person is left: not the
	// name, not the statement, not even the id (tombstone and
	// applications read model gone); and the PROFILES stream keeps only
	// the erasure, the earlier snapshots scrubbed.
	platformtest.Eventually(t, time.Minute, func() error {
		if err := traces(t, env, name, statement, user); err != nil {
			return err
		}
		evs := streamEvents(t, env, "PROFILES", user)
		if len(evs) != 1 || evs[0].Type != events.ProfileErased {
			return fmt.Errorf("the stream holds %d events for the person, want only %s", len(evs), events.ProfileErased)
		}
		return nil
	})

	if r := env.Do(t, http.MethodDelete, "/api/v1/profiles/me", tok, nil); r.Status != http.StatusNotFound {
		t.Errorf("second DELETE /profiles/me = %d, want 404", r.Status)
	}
	// The account can start again with a new profile.
	create(t, env, tok, profileBody())
}

func TestEraseByUserDeleted(t *testing.T) {
	t.Parallel()
	env := start(t)
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	email, name, statement := "yuki.tanabe@example.jp", "Yuki Tanabe", "Statement with marker kelp-forest-4410."

	// An imported profile keeps its e-mail address; the user.deleted event
	// for its id must remove that too.
	csv := "email,name,kind,homeCountry,region,degreeLevel,birthYear,statement,dataProcessing,visibleToHosts\n" +
		email + "," + name + ",researcher,JP,Miyagi,phd,1994," + statement + ",true,true\n"
	r := doCSV(t, env, coord, csv)
	mustStatus(t, r, http.StatusCreated, "POST /profiles/import")
	var res struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	r.JSON(t, &res)
	id := res.Items[0].ID
	mine := uuid.NewString()
	myTok := env.Issuer.Token(t, mine, auth.RoleApplicant)
	create(t, env, myTok, with(profileBody(), "name", "Someone Else Entirely"))
	publish(t, env, submitted(t, "app-y", id, uuid.NewString(), 1))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 1)
	if err := traces(t, env, email, name, statement); err == nil {
		t.Fatal("the scan finds nothing before erasure; it would prove nothing after")
	}

	deleted := func() events.Envelope {
		return platformtest.Event(t, identity.Source, events.UserDeleted, id, 3, identity.UserDeleted{
			UserID: id, Role: auth.RoleApplicant, DeletedAt: time.Now().UTC(),
		})
	}
	publish(t, env, deleted())
	// The stream ends up holding only the erasure (v2): the created
	// snapshot is scrubbed once profile.erased is out.
	platformtest.Eventually(t, 30*time.Second, func() error {
		evs := streamEvents(t, env, "PROFILES", id)
		if len(evs) != 1 || evs[0].Type != events.ProfileErased || evs[0].AggregateVersion != 2 {
			return fmt.Errorf("PROFILES holds %d events for the person, want only %s v2", len(evs), events.ProfileErased)
		}
		return nil
	})
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+id, coord, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET erased profile = %d, want 404", r.Status)
	}
	platformtest.Eventually(t, time.Minute, func() error { return traces(t, env, email, name, statement, id) })

	// A second user.deleted (a redelivery, or a replay) is handled without
	// error: acknowledged at once, never retried or dead-lettered.
	publish(t, env, deleted())
	info := platformtest.ConsumerSettled(t, env.Deps.Bus, "IDENTITY", "profiles-user-deleted", 2)
	if info.NumRedelivered != 0 {
		t.Errorf("user-deleted consumer redelivered %d messages, want 0", info.NumRedelivered)
	}
	if n := len(streamEvents(t, env, "PROFILES", id)); n != 1 {
		t.Errorf("PROFILES holds %d events for the erased profile after a repeated user.deleted, want 1 (no second erasure)", n)
	}
	if dl := deadLetters(t, env); dl != 0 {
		t.Errorf("DEADLETTER holds %d messages, want 0", dl)
	}
	// Other people's data is untouched.
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me", myTok, nil); r.Status != http.StatusOK {
		t.Errorf("another applicant's GET /profiles/me after the erasure = %d, want 200", r.Status)
	}
}

func deadLetters(t *testing.T, env *platformtest.Env) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := env.Deps.Bus.JS.Stream(ctx, "DEADLETTER")
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func doCSV(t *testing.T, env *platformtest.Env, token, csv string) platformtest.Response {
	t.Helper()
	return platformtest.Do(t, env.Server.URL, http.MethodPost, "/api/v1/profiles/import", token, csv,
		"Content-Type", "text/csv; charset=utf-8")
}

// TestEraseWhileEventsPending erases profiles whose last change is still
// being published: no profile comes back, and no event follows
// profile.erased.
func TestEraseWhileEventsPending(t *testing.T) {
	t.Parallel()
	env := start(t)
	const n = 6
	users := make([]string, n)
	done := make(chan struct{}, n)
	for i := range n {
		users[i] = uuid.NewString()
		go func() {
			defer func() { done <- struct{}{} }()
			tok := env.Issuer.Token(t, users[i], auth.RoleApplicant)
			if r := env.Do(t, http.MethodPost, "/api/v1/profiles", tok, profileBody()); r.Status != http.StatusCreated {
				t.Errorf("POST = %d", r.Status)
				return
			}
			for j := range 3 {
				body := with(profileBody(), "skills", []any{fmt.Sprint("skill ", j)})
				if r := env.Do(t, http.MethodPut, "/api/v1/profiles/me", tok, body); r.Status != http.StatusOK {
					t.Errorf("PUT = %d", r.Status)
				}
			}
			if r := env.Do(t, http.MethodDelete, "/api/v1/profiles/me", tok, nil); r.Status != http.StatusNoContent {
				t.Errorf("DELETE = %d", r.Status)
			}
		}()
	}
	for range n {
		<-done
	}
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	for _, u := range users {
		platformtest.Eventually(t, 20*time.Second, func() error {
			evs := streamEvents(t, env, "PROFILES", u)
			if len(evs) == 0 || evs[len(evs)-1].Type != events.ProfileErased {
				return fmt.Errorf("%d events for %s, the last not %s", len(evs), u, events.ProfileErased)
			}
			return nil
		})
	}
	time.Sleep(500 * time.Millisecond) // let anything late arrive
	for _, u := range users {
		evs := streamEvents(t, env, "PROFILES", u)
		if last := evs[len(evs)-1]; last.Type != events.ProfileErased || last.AggregateVersion != 5 {
			t.Errorf("events of %s end with %s v%d, want profile.erased v5 last", u, last.Type, last.AggregateVersion)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].AggregateVersion <= evs[i-1].AggregateVersion {
				t.Errorf("events of %s: v%d follows v%d, want increasing versions", u, evs[i].AggregateVersion, evs[i-1].AggregateVersion)
			}
		}
		if r := env.Do(t, http.MethodGet, "/api/v1/profiles/"+u, coord, nil); r.Status != http.StatusNotFound {
			t.Errorf("GET erased profile %s = %d, want 404", u, r.Status)
		}
	}
	platformtest.Eventually(t, 30*time.Second, func() error { return traces(t, env, users...) })
}
