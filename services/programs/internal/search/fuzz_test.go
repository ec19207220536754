package search

import (
	"net/url"
	"slices"
	"testing"

	"github.com/talentbridge/platform/services/programs/internal/domain"
)

// FuzzParseQuery feeds arbitrary query strings to the parser and runs what
// it accepts against a small catalogue: no panic, values within bounds, and
// no more hits than a page holds. Seeds are in testdata/fuzz/FuzzParseQuery.
func FuzzParseQuery(f *testing.F) {
	f.Add("q=robotics&kind=internship&hostCountry=JP&field=1.2&open=true&page=1&pageSize=10")
	c := newClock()
	ix := New(c.now)
	for _, s := range catalogue {
		p, err := newProgram(s, c.now())
		if err != nil {
			f.Fatal(err)
		}
		ix.Put(p)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, errs := ParseQuery(v)
		for _, e := range errs {
			if e.Field == "" || e.Reason == "" {
				t.Fatalf("ParseQuery(%q): problem %+v lacks a field or reason", raw, e)
			}
		}
		if len(errs) > 0 {
			return
		}
		switch {
		case q.Page < 1 || q.Page > MaxPage, q.PageSize < 1 || q.PageSize > MaxPageSize:
			t.Fatalf("ParseQuery(%q) paging %d/%d out of bounds", raw, q.Page, q.PageSize)
		case q.Sort != SortRelevance && q.Sort != SortDeadline:
			t.Fatalf("ParseQuery(%q) sort %q", raw, q.Sort)
		case len(q.Terms) > MaxQueryTerms, slices.Contains(q.Terms, ""):
			t.Fatalf("ParseQuery(%q) terms %q", raw, q.Terms)
		}
		res := ix.Search(q, domain.Actor{ID: "h1", Role: domain.RoleHost})
		if len(res.Hits) > q.PageSize || res.Total < len(res.Hits) {
			t.Fatalf("Search(%q) = %d hits of %d, page size %d", raw, len(res.Hits), res.Total, q.PageSize)
		}
	})
}
