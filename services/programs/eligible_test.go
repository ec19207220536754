package programs_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// trySearch runs GET /programs with query as token and returns the ids
// found, in order, or an error unless the answer is 200.
func (e *env) trySearch(t *testing.T, token, query string) ([]string, error) {
	t.Helper()
	r := e.Do(t, "GET", "/api/v1/programs?"+query, token, nil)
	if r.Status != http.StatusOK {
		return nil, fmt.Errorf("GET /programs?%s = %d %s, want 200", query, r.Status, r.Body)
	}
	var res apiprograms.SearchResponse
	r.JSON(t, &res)
	ids := make([]string, len(res.Items))
	for i, it := range res.Items {
		ids[i] = it.ID
	}
	return ids, nil
}

// searchIDs is trySearch failing the test on an error.
func (e *env) searchIDs(t *testing.T, token, query string) []string {
	t.Helper()
	ids, err := e.trySearch(t, token, query)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// profileOf is a profile event's payload with the facts eligibility reads.
func profileOf(id, kind, country, degree string, birthYear int, langs ...taxonomy.Language) profilesev.Profile {
	return profilesev.Profile{ID: id, Kind: kind, Name: "Applicant", HomeCountry: country, DegreeLevel: degree,
		BirthYear: birthYear, Languages: langs, Fields: []string{"1.2"}}
}

// GET /programs?eligible=true keeps the programs the signed-in applicant's
// profile may apply to, decided by eligibility.Eligible (Check's rules, which matching
// uses), from a read model of profile events: a newer profile version
// counts, an older one arriving late does not, an erasure removes the
// facts (and the export shows them while held). Without a profile the
// answer is 409 no_profile; anonymous callers get 401, other roles 403.
func TestEligibleFilter(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	en := taxonomy.Language{Code: "en", Level: "C1"}
	// Four programs in Japan: for students with English B2 (the default
	// body), for researchers, for PhDs, and one with Japanese N2.
	students := e.published(t, host, e.body("Students"))
	researchers := e.published(t, host, e.body("Researchers", func(m map[string]any) {
		m["eligibility"] = map[string]any{"applicantKinds": []string{"researcher"}}
	}))
	phd := e.published(t, host, e.body("Doctoral", func(m map[string]any) {
		m["eligibility"] = map[string]any{"degreeLevels": []string{"phd"}}
	}))
	japanese := e.published(t, host, e.body("Japanese", func(m map[string]any) {
		m["eligibility"] = map[string]any{"languages": []map[string]string{{"code": "ja", "minLevel": "N2"}}}
	}))
	all := []string{students.ID, researchers.ID, phd.ID, japanese.ID}

	asha, ashaTok := e.applicant(t)
	if r := e.Do(t, "GET", "/api/v1/programs?eligible=true", ashaTok, nil); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), `"no_profile"`) {
		t.Errorf("eligible search before the profile = %d %s, want 409 no_profile", r.Status, r.Body)
	}
	// A master's student from India with English C1.
	e.publish(t, events.ProfileCreated, asha, 1, profilesev.ProfileCreated{Profile: profileOf(asha, "student", "IN", "master", 2001, en)})
	want := []string{students.ID}
	var got []string
	platformtest.Eventually(t, 10*time.Second, func() error {
		var err error
		if got, err = e.trySearch(t, ashaTok, "eligible=true"); err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("eligible search = %v, want %v", got, want)
		}
		return nil
	})
	// Each program kept is one eligibility.Check accepts, and no other.
	for _, id := range all {
		r := e.Do(t, "GET", "/api/v1/programs/"+id, "", nil)
		var p apiprograms.SearchItem
		r.JSON(t, &p)
		ok := eligibility.Check(eligibility.Applicant{Kind: "student", HomeCountry: "IN", DegreeLevel: "master", BirthYear: 2001,
			Languages: []taxonomy.Language{en}}, eligibility.Program{HostCountry: p.HostCountry, StartDate: p.StartDate,
			EndDate: p.EndDate, ApplicationDeadline: p.ApplicationDeadline, Eligibility: p.Eligibility}, time.Now()).Eligible
		if ok != slices.Contains(got, id) {
			t.Errorf("program %s (%s): eligibility.Check says %v, the filter %v", id, p.Title, ok, slices.Contains(got, id))
		}
	}
	// Filters combine: a query that finds none of the eligible.
	if ids := e.searchIDs(t, ashaTok, "eligible=true&q=doctoral"); len(ids) != 0 {
		t.Errorf("eligible search for 'doctoral' = %v, want none", ids)
	}
	// The unfiltered search still lists all four.
	if ids := e.searchIDs(t, ashaTok, "pageSize=100"); len(ids) < 4 {
		t.Errorf("search without the filter = %v, want all four programs", ids)
	}

	// Version 3 (a PhD researcher with Japanese N1) arrives before
	// version 2; version 2 must not undo it.
	e.publish(t, events.ProfileUpdated, asha, 3, profilesev.ProfileUpdated{Profile: profileOf(asha, "researcher", "IN", "phd", 1990, en,
		taxonomy.Language{Code: "ja", Level: "N1"})})
	e.publish(t, events.ProfileUpdated, asha, 2, profilesev.ProfileUpdated{Profile: profileOf(asha, "student", "IN", "bachelor", 2001, en)})
	want = []string{researchers.ID, phd.ID, japanese.ID}
	slices.Sort(want)
	platformtest.Eventually(t, 10*time.Second, func() error {
		var err error
		if got, err = e.trySearch(t, ashaTok, "eligible=true&sort=newest"); err != nil {
			return err
		}
		sorted := slices.Sorted(slices.Values(got))
		if !slices.Equal(sorted, want) {
			return fmt.Errorf("eligible search after the update = %v, want %v", got, want)
		}
		return nil
	})
	// sort=newest: the latest publication first.
	if wantOrder := []string{japanese.ID, phd.ID, researchers.ID}; !slices.Equal(got, wantOrder) {
		t.Errorf("eligible search by newest = %v, want %v", got, wantOrder)
	}
	// The facts are in the person's export.
	msg, err := e.Deps.Bus.NC.Request("tb.rpc.programs.export", []byte(fmt.Sprintf(`{"userId": %q}`, asha)), 5*time.Second)
	if err != nil || !strings.Contains(string(msg.Data), `eligibilityFacts`) || !strings.Contains(string(msg.Data), `"phd"`) {
		t.Errorf("export = %v %v, want the eligibility facts at version 3", msg, err)
	}

	// Who may ask.
	if r := e.Do(t, "GET", "/api/v1/programs?eligible=true", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous eligible search = %d, want 401", r.Status)
	}
	for _, role := range []string{auth.RoleHost, auth.RoleCoordinator} {
		if r := e.Do(t, "GET", "/api/v1/programs?eligible=true", e.Issuer.Token(t, uuid.NewString(), role), nil); r.Status != http.StatusForbidden {
			t.Errorf("eligible search as %s = %d, want 403", role, r.Status)
		}
	}
	if r := e.Do(t, "GET", "/api/v1/programs?eligible=maybe", ashaTok, nil); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"eligible"`) {
		t.Errorf("eligible=maybe = %d %s, want 400 naming eligible", r.Status, r.Body)
	}

	// Erasure forgets the facts; a late update does not bring them back.
	e.publish(t, events.ProfileErased, asha, 4, profilesev.ProfileErased{ProfileID: asha})
	e.publish(t, events.ProfileUpdated, asha, 5, profilesev.ProfileUpdated{Profile: profileOf(asha, "student", "IN", "master", 2001, en)})
	platformtest.Eventually(t, 10*time.Second, func() error {
		if r := e.Do(t, "GET", "/api/v1/programs?eligible=true", ashaTok, nil); r.Status != http.StatusConflict {
			return fmt.Errorf("eligible search after erasure = %d %s, want 409", r.Status, r.Body)
		}
		return nil
	})
	// A later profile of someone else marks when the late update has
	// been handled too (one consumer takes the events in order).
	marker, markerTok := e.applicant(t)
	e.publish(t, events.ProfileCreated, marker, 1, profilesev.ProfileCreated{Profile: profileOf(marker, "student", "IN", "master", 2001, en)})
	platformtest.Eventually(t, 10*time.Second, func() error {
		_, err := e.trySearch(t, markerTok, "eligible=true")
		return err
	})
	if r := e.Do(t, "GET", "/api/v1/programs?eligible=true", ashaTok, nil); r.Status != http.StatusConflict {
		t.Errorf("an update after erasure brought the facts back: %d %s", r.Status, r.Body)
	}
	msg, err = e.Deps.Bus.NC.Request("tb.rpc.programs.export", []byte(fmt.Sprintf(`{"userId": %q}`, asha)), 5*time.Second)
	if err != nil || strings.Contains(string(msg.Data), `eligibilityFacts`) {
		t.Errorf("export after erasure = %v %v, want no eligibility facts", msg, err)
	}
}

// sort=start orders by start date, soonest first; an unknown sort is a
// field error naming the choices.
func TestSortByStart(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	starts := []int{120, 60, 90}
	var ids []string
	for i, d := range starts {
		p := e.published(t, host, e.body(fmt.Sprintf("Start %d", i), func(m map[string]any) {
			m["startDate"] = e.clock.Now().AddDate(0, 0, d).Format("2006-01-02")
		}))
		ids = append(ids, p.ID)
	}
	want := []string{ids[1], ids[2], ids[0]}
	platformtest.Eventually(t, 10*time.Second, func() error {
		got, err := e.trySearch(t, "", "sort=start&pageSize=100")
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("sort=start = %v, want %v", got, want)
		}
		return nil
	})
	if r := e.Do(t, "GET", "/api/v1/programs?sort=cheapest", "", nil); r.Status != http.StatusBadRequest ||
		!strings.Contains(string(r.Body), `"sort"`) || !strings.Contains(string(r.Body), "newest") {
		t.Errorf("sort=cheapest = %d %s, want 400 naming sort and its choices", r.Status, r.Body)
	}
}
