package matching_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

// limitedKeys are the only keys of a candidate who did not apply to the
// program, as its host receives it (docs/PRIVACY.md).
var limitedKeys = []string{"applicantId", "initials", "institution", "homeCountry", "kind", "degreeLevel", "fields",
	"skills", "languages", "score", "reasons", "applied"}

// TestCandidatesShowWhatConsentAllows: the host of a program sees everyone
// who applied to it in full (name, statement), sees an eligible applicant
// who did not apply only if they let hosts find them under the current
// notice, and then only the limited view; nobody else appears, another
// host gets 404 and, once the program has closed, only applicants remain.
func TestCandidatesShowWhatConsentAllows(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	prog := programSnap("cands-"+newID(), "h1", 2)
	w.putProgram(prog, 1)
	applied := profileSnap("applied", "IN", false) // applied without consenting to be found
	findable := profileSnap("findable", "IN", true)
	findable.Name = "Meera Krishnan Pillai"
	hidden := profileSnap("hidden", "IN", false)
	// Consented under the notice before FindableSince, when the box meant
	// "hosts of programs I apply to": not a consent to be found.
	old := profileSnap("old", "IN", true)
	old.Consents.NoticeVersion = "2026-11"
	for _, p := range []profilesev.Profile{applied, findable, hidden, old} {
		w.putProfile(p, 1)
	}
	w.waitVersion("programs", prog.ID, 1)
	for _, id := range []string{"applied", "findable", "hidden", "old"} {
		w.waitVersion("profiles", id, 1)
	}
	w.must(http.MethodPost, "/applications", w.token("applied", auth.RoleApplicant), map[string]string{"programId": prog.ID}, http.StatusCreated, nil)
	h1 := w.token("h1", auth.RoleHost)

	list := func(token string) map[string]map[string]json.RawMessage {
		var page struct {
			Items []map[string]json.RawMessage `json:"items"`
			Total int                          `json:"total"`
		}
		w.must(http.MethodGet, "/programs/"+prog.ID+"/candidates?pageSize=100", token, nil, http.StatusOK, &page)
		out := map[string]map[string]json.RawMessage{}
		for _, c := range page.Items {
			var id string
			if err := json.Unmarshal(c["applicantId"], &id); err != nil {
				t.Fatalf("candidate without an id: %v", c)
			}
			out[id] = c
		}
		if page.Total != len(out) {
			t.Errorf("total = %d, want %d (one page holds them all)", page.Total, len(out))
		}
		return out
	}
	str := func(c map[string]json.RawMessage, key string) string {
		var s string
		_ = json.Unmarshal(c[key], &s)
		return s
	}

	var got map[string]map[string]json.RawMessage
	platformtest.Eventually(t, 10*time.Second, func() error {
		got = list(h1)
		if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, []string{"applied", "findable"}) {
			return fmt.Errorf("the host's candidates are %v, want applied and findable only", ids)
		}
		return nil
	})

	a := got["applied"]
	if str(a, "name") != "Applicant applied" || str(a, "statement") == "" || str(a, "applicationId") == "" {
		t.Errorf("an applicant who applied = %v, want their name, statement and application", a)
	}
	f := got["findable"]
	if keys := slices.Sorted(maps.Keys(f)); !slices.Equal(keys, slices.Sorted(slices.Values(limitedKeys))) {
		t.Errorf("a findable applicant who did not apply shows the host %v, want exactly %v", keys, limitedKeys)
	}
	if str(f, "initials") != "M. P." || str(f, "institution") != "IIT Madras" || string(f["languages"]) != `[{"code":"en","level":"C1"}]` {
		t.Errorf("a findable applicant = %v, want initials M. P., the institution and languages", f)
	}

	// Coordinators see the name of a findable applicant too.
	c := list(w.coordinator())
	if str(c["findable"], "name") != "Meera Krishnan Pillai" || c["hidden"] != nil {
		t.Errorf("coordinator's view = %v, want findable by name and no hidden", c)
	}
	// Another host sees nothing of the program.
	if r := w.do(http.MethodGet, "/programs/"+prog.ID+"/candidates", w.token("h2", auth.RoleHost), nil); r.Status != http.StatusNotFound {
		t.Errorf("another host's candidates = %d %s, want 404", r.Status, r.Body)
	}

	// Withdrawing the consent to be found takes the applicant off the list.
	findable.Consents.VisibleToHosts = false
	w.putProfile(findable, 2)
	platformtest.Eventually(t, 10*time.Second, func() error {
		if got := list(h1); got["findable"] != nil || got["applied"] == nil {
			return fmt.Errorf("after withdrawing the consent the candidates are %v, want applied only", slices.Collect(maps.Keys(got)))
		}
		return nil
	})
	findable.Consents.VisibleToHosts = true
	w.putProfile(findable, 3)
	w.waitVersion("profiles", "findable", 3)

	// Closed: only those who applied.
	prog.Status, prog.ClosedReason = programsev.StatusClosed, programsev.ClosedByHost
	w.putProgram(prog, 2)
	w.waitVersion("programs", prog.ID, 2)
	platformtest.Eventually(t, 10*time.Second, func() error {
		if ids := slices.Sorted(maps.Keys(list(h1))); !slices.Equal(ids, []string{"applied"}) {
			return fmt.Errorf("candidates of the closed program are %v, want applied only", ids)
		}
		return nil
	})
}
