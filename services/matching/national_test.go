package matching_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestRoundBeyondFiveHundredPrograms runs a round over more programs than
// rounds used to hold (500), with its rank lists imported by CSV, and
// approves its matches in one coordinator action: the bulk writes of
// matches, participants, approvals and offers, each match carrying its
// own events. The sizes are small enough for every CI run;
// scripts/national.sh runs the national size.
func TestRoundBeyondFiveHundredPrograms(t *testing.T) {
	w := newWorld(t, fast)
	const programs, applicants, listLen = 620, 60, 5
	ids := make([]string, programs)
	for j := range ids {
		ids[j] = fmt.Sprintf("nat-p%03d-%s", j, newID())
		w.putProgram(programSnap(ids[j], "nat-host", 1), 1)
	}
	people := make([]string, applicants)
	for i := range people {
		people[i] = fmt.Sprintf("nat-a%03d", i)
		w.putProfile(profileSnap(people[i], "IN", true), 1)
	}
	for _, id := range ids {
		w.waitVersion("programs", id, 1)
	}
	for _, id := range people {
		w.waitVersion("profiles", id, 1)
	}
	coord := w.coordinator()
	var rd round
	w.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Beyond 500", "programIds": ids, "seed": 3}, http.StatusCreated, &rd)
	if len(rd.ProgramIDs) != programs {
		t.Fatalf("the round holds %d programs, want %d", len(rd.ProgramIDs), programs)
	}

	// Applicant i ranks programs 5i..5i+4, which no one else ranks: each
	// gets their first choice.
	var file strings.Builder
	for i, a := range people {
		file.WriteString(a)
		for k := range listLen {
			file.WriteString("," + ids[i*listLen+k])
		}
		file.WriteString("\n")
	}
	r := platformtest.Do(t, w.env.Server.URL, http.MethodPost, "/api/v1/rounds/"+rd.ID+"/ranks/import", coord, file.String(), "Content-Type", "text/csv")
	if r.Status != http.StatusOK {
		t.Fatalf("rank import = %d %s", r.Status, r.Body)
	}

	// A run over 620 programs takes longer than the small rounds of the
	// other tests on a busy machine: this one waits a minute and a half.
	w.must(http.MethodPost, "/rounds/"+rd.ID+"/run", coord, nil, http.StatusAccepted, nil)
	var done round
	platformtest.Eventually(t, 90*time.Second, func() error {
		done = round{}
		w.must(http.MethodGet, "/rounds/"+rd.ID, coord, nil, http.StatusOK, &done)
		if done.Status != "completed" {
			return fmt.Errorf("round %s is %s (%s %d%%): %s", rd.ID, done.Status, done.Phase, done.Progress, done.LastError)
		}
		return nil
	})
	if done.BlockingPairs != 0 || done.Counts.Proposed != applicants {
		t.Fatalf("run: %d blocking pairs, %d proposed; want 0 and %d", done.BlockingPairs, done.Counts.Proposed, applicants)
	}
	ms := (&market{world: w}).matches(rd.ID)
	for i, a := range people {
		m, ok := ms[a+" "+ids[i*listLen]]
		if !ok || m.Status != "proposed" || m.Choice != 1 {
			t.Fatalf("applicant %s: match %+v (found %v), want their first choice, proposed", a, m, ok)
		}
	}

	approve := "/rounds/" + rd.ID + "/approve"
	// Who may approve, and what.
	w.must(http.MethodPost, approve, w.token("nat-host", auth.RoleHost), map[string]any{"proposed": applicants}, http.StatusForbidden, nil)
	w.must(http.MethodPost, approve, w.token(people[0], auth.RoleApplicant), map[string]any{"proposed": applicants}, http.StatusForbidden, nil)
	w.must(http.MethodPost, "/rounds/no-such-round/approve", coord, map[string]any{"proposed": applicants}, http.StatusNotFound, nil)
	// Approving everything is deliberate: the coordinator names how many
	// proposals they reviewed, and another number approves nothing.
	missing := w.must(http.MethodPost, approve, coord, map[string]any{}, http.StatusBadRequest, nil)
	if !strings.Contains(string(missing.Body), `"proposed"`) {
		t.Errorf("approve without a count = %s, want a field error naming proposed", missing.Body)
	}
	w.must(http.MethodPost, approve, coord, map[string]any{"proposed": applicants - 1}, http.StatusConflict, nil)
	var still round
	w.must(http.MethodGet, "/rounds/"+rd.ID, coord, nil, http.StatusOK, &still)
	if still.Counts.Approved != 0 || still.Counts.Proposed != applicants {
		t.Fatalf("after refused approvals: %d approved, %d proposed; want 0 and %d", still.Counts.Approved, still.Counts.Proposed, applicants)
	}

	var approved round
	w.must(http.MethodPost, approve, coord, map[string]any{"proposed": applicants, "note": "reviewed as a whole"}, http.StatusOK, &approved)
	if approved.Counts.Approved != applicants || approved.Counts.Proposed != 0 {
		t.Fatalf("after approving: %d approved, %d proposed; want %d and 0", approved.Counts.Approved, approved.Counts.Proposed, applicants)
	}
	// Nothing is left to approve.
	w.must(http.MethodPost, approve, coord, map[string]any{"proposed": applicants}, http.StatusConflict, nil)

	var audit list[struct {
		Action string `json:"action"`
		Note   string `json:"note"`
	}]
	w.must(http.MethodGet, "/audit?entity=match:"+ms[people[7]+" "+ids[7*listLen]].ID, coord, nil, http.StatusOK, &audit)
	if len(audit.Items) == 0 || audit.Items[0].Action != "match.approved" || audit.Items[0].Note != "reviewed as a whole" {
		t.Errorf("a match's audit trail = %+v, want its approval with the note", audit.Items)
	}

	var pub round
	w.must(http.MethodPost, "/rounds/"+rd.ID+"/publish", coord, nil, http.StatusOK, &pub)
	if pub.Status != "published" || pub.Counts.Published != applicants {
		t.Fatalf("publish: %s with %d offers, want published with %d", pub.Status, pub.Counts.Published, applicants)
	}
	var mine list[match]
	w.must(http.MethodGet, "/matches/me", w.token(people[9], auth.RoleApplicant), nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ProgramID != ids[9*listLen] || mine.Items[0].Status != "published" {
		t.Fatalf("applicant %s's offers = %+v, want one published offer of their first choice", people[9], mine.Items)
	}
}
