package matching_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/auth"
)

// GET /audit filters by action, actor, entity type and days; bad filters
// are field errors with stable codes.
func TestAuditFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	prog := programSnap("audit-"+newID(), "h1", 1)
	w.putProgram(prog, 1)
	w.waitVersion("programs", prog.ID, 1)
	c1, c2 := w.coordinator(), w.token("coord-2", auth.RoleCoordinator)
	var r1, r2 round
	w.must(http.MethodPost, "/rounds", c1, map[string]any{"name": "First", "programIds": []string{prog.ID}}, http.StatusCreated, &r1)
	w.must(http.MethodPost, "/rounds", c2, map[string]any{"name": "Second", "programIds": []string{prog.ID}}, http.StatusCreated, &r2)

	type entry struct {
		ActorID    string `json:"actorId"`
		Action     string `json:"action"`
		EntityType string `json:"entityType"`
		EntityID   string `json:"entityId"`
	}
	get := func(q url.Values) list[entry] {
		t.Helper()
		var l list[entry]
		w.must(http.MethodGet, "/audit?"+q.Encode(), c1, nil, http.StatusOK, &l)
		return l
	}
	created := get(url.Values{"action": {"round.created"}})
	if created.Total != 2 {
		t.Fatalf("round.created entries = %d %+v, want 2", created.Total, created.Items)
	}
	for _, e := range created.Items {
		if e.Action != "round.created" || e.EntityType != "round" {
			t.Errorf("entry %+v under action=round.created", e)
		}
	}
	byActor := get(url.Values{"action": {"round.created"}, "actor": {"coord-2"}})
	if byActor.Total != 1 || byActor.Items[0].EntityID != r2.ID || byActor.Items[0].ActorID != "coord-2" {
		t.Errorf("coord-2's round.created = %+v, want the second round only", byActor.Items)
	}
	if l := get(url.Values{"entityType": {"round"}, "actor": {"coord-1"}}); l.Total != 1 || l.Items[0].EntityID != r1.ID {
		t.Errorf("coord-1's round entries = %+v, want the first round", l.Items)
	}
	if l := get(url.Values{"entityType": {"match"}}); l.Total != 0 {
		t.Errorf("match entries = %d, want none", l.Total)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	if l := get(url.Values{"action": {"round.created"}, "from": {today}, "to": {today}}); l.Total != 2 {
		t.Errorf("today's round.created = %d, want 2", l.Total)
	}
	if l := get(url.Values{"from": {tomorrow}}); l.Total != 0 {
		t.Errorf("entries from tomorrow = %d, want 0", l.Total)
	}

	for _, tc := range []struct {
		query, field, code string
	}{
		{"entityType=person", "entityType", "one_of"},
		{"from=2026-13-01", "from", "format"},
		{"to=yesterday", "to", "format"},
		{"from=2026-05-02&to=2026-05-01", "to", "date_order"},
		{"entity=round:x&entityType=match", "entityType", "one_of"},
	} {
		p := w.do(http.MethodGet, "/audit?"+tc.query, c1, nil).Problem(t)
		if p.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != tc.field || string(p.Errors[0].Code) != tc.code {
			t.Errorf("GET /audit?%s = %d %+v, want 400 %s %s", tc.query, p.Status, p.Errors, tc.field, tc.code)
		}
	}
	if got := w.do(http.MethodGet, "/audit?action=round.created", w.token("h1", auth.RoleHost), nil); got.Status != http.StatusForbidden {
		t.Errorf("host's audit = %d, want 403", got.Status)
	}
}
