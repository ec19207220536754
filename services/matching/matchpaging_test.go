package matching_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/web"
)

// matchPage is a page of GET /matches with its next cursor.
type matchPage struct {
	list[match]
	Next string `json:"next"`
}

// TestMatchesPageByKey walks GET /matches by its next cursor: every match
// of the round once, in id order, the last page without next, the total on
// every page; a cursor with a page number or a cursor too long is a 400
// naming the parameter; hosts and applicants may not list matches.
func TestMatchesPageByKey(t *testing.T) {
	t.Parallel()
	w := newWorld(t, fast)
	const n = 7
	ids := make([]string, n)
	people := make([]string, n)
	var file strings.Builder
	for i := range n {
		ids[i] = fmt.Sprintf("mp-p%d-%s", i, newID())
		people[i] = fmt.Sprintf("mp-a%d", i)
		w.putProgram(programSnap(ids[i], "mp-host", 1), 1)
		w.putProfile(profileSnap(people[i], "IN", true), 1)
		fmt.Fprintf(&file, "%s,%s\n", people[i], ids[i])
	}
	for i := range n {
		w.waitVersion("programs", ids[i], 1)
		w.waitVersion("profiles", people[i], 1)
	}
	coord := w.coordinator()
	var rd round
	w.must(http.MethodPost, "/rounds", coord, map[string]any{"name": "Paging", "programIds": ids, "seed": 1}, http.StatusCreated, &rd)
	r := platformtest.Do(t, w.env.Server.URL, http.MethodPost, "/api/v1/rounds/"+rd.ID+"/ranks/import", coord, file.String(), "Content-Type", "text/csv")
	if r.Status != http.StatusOK {
		t.Fatalf("rank import = %d %s", r.Status, r.Body)
	}
	w.runRound(rd.ID)
	var all list[match]
	w.must(http.MethodGet, "/rounds/"+rd.ID+"/matches", coord, nil, http.StatusOK, &all)
	if len(all.Items) != n {
		t.Fatalf("the round proposed %d matches, want %d", len(all.Items), n)
	}
	want := make([]string, n)
	for i, m := range all.Items {
		want[i] = m.ID
	}
	slices.Sort(want)

	base := "/matches?status=proposed&roundId=" + rd.ID + "&pageSize=3"
	var got []string
	var sizes []int
	path := base
	for range n + 1 { // bounded: a cursor that never ends fails below
		var p matchPage
		w.must(http.MethodGet, path, coord, nil, http.StatusOK, &p)
		if p.Total != n || p.PageSize != 3 {
			t.Fatalf("%s: total %d pageSize %d, want %d and 3", path, p.Total, p.PageSize, n)
		}
		sizes = append(sizes, len(p.Items))
		for _, m := range p.Items {
			got = append(got, m.ID)
		}
		if p.Next == "" {
			break
		}
		if p.Next != p.Items[len(p.Items)-1].ID {
			t.Fatalf("next = %q, want the page's last id %q", p.Next, p.Items[len(p.Items)-1].ID)
		}
		path = base + "&after=" + p.Next
	}
	if !slices.Equal(sizes, []int{3, 3, 1}) || !slices.Equal(got, want) {
		t.Fatalf("pages of %v with ids %v, want pages of [3 3 1] with every match once in id order %v", sizes, got, want)
	}

	// A page number still answers the same page.
	var second matchPage
	w.must(http.MethodGet, base+"&page=2", coord, nil, http.StatusOK, &second)
	if len(second.Items) != 3 || second.Items[0].ID != want[3] || second.Next != want[5] {
		t.Errorf("page 2 = %+v next %q, want matches %v next %q", second.Items, second.Next, want[3:6], want[5])
	}

	for _, tc := range []struct{ name, query, field string }{
		{"a cursor with a page number", "&after=" + want[0] + "&page=2", "page"},
		{"a cursor too long", "&after=" + strings.Repeat("x", 300), "after"},
	} {
		r := w.do(http.MethodGet, base+tc.query, coord, nil)
		var p web.Problem
		r.JSON(t, &p)
		if r.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code == "" {
			t.Errorf("%s = %d %s, want 400 with one error on %s", tc.name, r.Status, r.Body, tc.field)
		}
	}
	for _, tok := range []string{w.token("mp-host", auth.RoleHost), w.token(people[0], auth.RoleApplicant)} {
		if r := w.do(http.MethodGet, base, tok, nil); r.Status != http.StatusForbidden {
			t.Errorf("GET /matches as a non-coordinator = %d, want 403", r.Status)
		}
	}
}
