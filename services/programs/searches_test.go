package programs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

func (e *env) applicant(t *testing.T) (string, string) {
	t.Helper()
	id := uuid.NewString()
	return id, e.Issuer.Token(t, id, auth.RoleApplicant)
}

func (e *env) saveSearch(t *testing.T, token string, body map[string]any) apiprograms.SavedSearch {
	t.Helper()
	r := e.Do(t, "POST", "/api/v1/searches", token, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /searches %v = %d %s, want 201", body, r.Status, r.Body)
	}
	var s apiprograms.SavedSearch
	r.JSON(t, &s)
	return s
}

func (e *env) mySearches(t *testing.T, token string) []apiprograms.SavedSearch {
	t.Helper()
	r := e.Do(t, "GET", "/api/v1/searches/me", token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /searches/me = %d %s", r.Status, r.Body)
	}
	var l apiprograms.SavedSearchList
	r.JSON(t, &l)
	return l.Items
}

// Saved searches belong to their applicant: other applicants get 404,
// other roles 403, bad filters a field error and nothing stored.
func TestSavedSearchAccess(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, asha := e.applicant(t)
	_, ravi := e.applicant(t)
	_, host := e.verifiedHost(t)
	coord := e.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)

	s := e.saveSearch(t, asha, map[string]any{"q": "robotics", "hostCountry": "jp", "alert": true})
	if s.HostCountry != "JP" || !s.Alert || s.ID == "" {
		t.Errorf("saved search = %+v, want JP with alert", s)
	}
	r := e.Do(t, "POST", "/api/v1/searches", asha, map[string]any{"kind": "no_such_kind", "field": "99.9", "alert": true})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("bad filters = %d %s, want 400", r.Status, r.Body)
	}
	if p := r.Problem(t); len(p.Errors) != 2 || p.Errors[0].Field != "kind" || p.Errors[1].Field != "field" {
		t.Errorf("bad filters problem = %+v, want errors on field and kind", p.Errors)
	}
	if r := e.Do(t, "POST", "/api/v1/searches", asha, map[string]any{"alert": true, "ownerId": "x"}); r.Status != http.StatusBadRequest {
		t.Errorf("a body naming an owner = %d, want 400", r.Status)
	}
	if got := e.mySearches(t, asha); len(got) != 1 || got[0].ID != s.ID {
		t.Errorf("Asha's searches = %+v, want only the one saved", got)
	}
	if got := e.mySearches(t, ravi); len(got) != 0 {
		t.Errorf("Ravi sees %+v, want none", got)
	}
	if r := e.Do(t, "DELETE", "/api/v1/searches/"+s.ID, ravi, nil); r.Status != http.StatusNotFound {
		t.Errorf("another applicant deletes the search = %d, want 404", r.Status)
	}
	for _, who := range []struct{ name, token string }{{"host", host}, {"coordinator", coord}} {
		for _, c := range []struct{ method, path string }{{"POST", "/api/v1/searches"}, {"GET", "/api/v1/searches/me"}, {"DELETE", "/api/v1/searches/" + s.ID}} {
			if r := e.Do(t, c.method, c.path, who.token, map[string]any{"alert": true}); r.Status != http.StatusForbidden {
				t.Errorf("%s %s %s = %d, want 403", who.name, c.method, c.path, r.Status)
			}
		}
	}
	if r := e.Do(t, "GET", "/api/v1/searches/me", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("signed out = %d, want 401", r.Status)
	}
	if r := e.Do(t, "DELETE", "/api/v1/searches/"+s.ID, asha, nil); r.Status != http.StatusNoContent {
		t.Errorf("owner deletes = %d %s, want 204", r.Status, r.Body)
	}
	if got := e.mySearches(t, asha); len(got) != 0 {
		t.Errorf("after deleting, searches = %+v", got)
	}
}

// A published program that an alerting search finds causes one
// search.matched per (search, program), also when the publication is
// delivered again; searches without alert, or that do not find it, stay
// quiet. Export lists the searches and erasure deletes them.
func TestSavedSearchAlerts(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	owner, asha := e.applicant(t)
	_, ravi := e.applicant(t)
	_, host := e.verifiedHost(t)

	finds := e.saveSearch(t, asha, map[string]any{"q": "robotics", "hostCountry": "JP", "field": "2", "alert": true})
	quiet := e.saveSearch(t, asha, map[string]any{"q": "robotics", "alert": false})
	misses := e.saveSearch(t, ravi, map[string]any{"hostCountry": "IN", "alert": true})

	p := e.published(t, host, e.body("Soft robotics lab", func(m map[string]any) { m["description"] = "Robotics for elder care" }))
	evs := platformtest.WaitEvents(t, e.Deps.Bus, "PROGRAMS", platformtest.EventFilter{Type: events.SearchMatched, Subject: finds.ID}, 1)
	var got programsev.SearchMatched
	if err := evs[0].Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.OwnerID != owner || got.ProgramID != p.ID || got.Title != "Soft robotics lab" || got.SearchID != finds.ID {
		t.Errorf("search.matched = %+v, want Asha's search, the program and its title", got)
	}

	// The publication again, as a redelivery: nothing new.
	var pub programsev.Program
	raw, _ := json.Marshal(p)
	_ = json.Unmarshal(raw, &pub)
	e.publish(t, events.ProgramPublished, p.ID, 99, programsev.ProgramPublished{Program: pub})
	// A second program the search finds shows the redelivery was handled.
	p2 := e.published(t, host, e.body("Robotics summer school"))
	platformtest.Eventually(t, 10*time.Second, func() error {
		n := len(platformtest.StreamEvents(t, e.Deps.Bus, "PROGRAMS", platformtest.EventFilter{Type: events.SearchMatched, Subject: finds.ID}))
		if n != 2 {
			return fmt.Errorf("%d search.matched for the alerting search, want 2 (one per program)", n)
		}
		return nil
	})
	// Every publication handled (the consumer sees only program.published).
	platformtest.Eventually(t, 10*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c, err := e.Deps.Bus.JS.Consumer(ctx, "PROGRAMS", "programs-search-alerts")
		if err != nil {
			return err
		}
		info, err := c.Info(ctx)
		if err != nil {
			return err
		}
		if info.NumPending > 0 || info.NumAckPending > 0 {
			return fmt.Errorf("search alerts: %d pending, %d unacknowledged", info.NumPending, info.NumAckPending)
		}
		return nil
	})
	for _, s := range []apiprograms.SavedSearch{quiet, misses} {
		if evs := platformtest.StreamEvents(t, e.Deps.Bus, "PROGRAMS", platformtest.EventFilter{Type: events.SearchMatched, Subject: s.ID}); len(evs) != 0 {
			t.Errorf("search %+v caused %d search.matched, want none", s, len(evs))
		}
	}
	if mine := e.mySearches(t, asha); len(mine) != 2 || mine[1].Matched != 2 {
		t.Errorf("Asha's searches = %+v, want the alerting one with 2 matches (%s, %s)", mine, p.ID, p2.ID)
	}

	// Export holds the searches; erasure of the profile deletes them.
	msg, err := e.Deps.Bus.NC.Request("tb.rpc.programs.export", []byte(fmt.Sprintf(`{"userId": %q}`, owner)), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var reply struct {
		Data struct {
			Searches []apiprograms.SavedSearch `json:"searches"`
		} `json:"data"`
	}
	if err := json.Unmarshal(msg.Data, &reply); err != nil || len(reply.Data.Searches) != 2 {
		t.Errorf("export = %s (%v), want two saved searches", msg.Data, err)
	}
	e.publish(t, events.ProfileErased, owner, 3, profilesev.ProfileErased{ProfileID: owner})
	platformtest.Eventually(t, 10*time.Second, func() error {
		if n := len(e.mySearches(t, asha)); n != 0 {
			return fmt.Errorf("%d searches after erasure", n)
		}
		return nil
	})
}
