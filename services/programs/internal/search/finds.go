package search

import (
	"net/url"

	"github.com/talentbridge/platform/services/programs/internal/domain"
)

// SavedQuery parses the filters of a saved search with the rules of the
// public search (ParseQuery), so that a saved search finds what the same
// search on the page finds.
func SavedQuery(s *domain.SavedSearch) (Query, []domain.FieldError) {
	v := url.Values{}
	for k, x := range map[string]string{"q": s.Q, "kind": s.Kind, "hostCountry": s.HostCountry, "field": s.Field} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return ParseQuery(v)
}

// Finds reports whether the public search q would list p: every word of
// the text in the program's words, and every filter met. Scores and
// paging do not matter here; the "open" filter is checked as of the
// program's publication.
func Finds(q Query, p *domain.Program) bool {
	e := build(p)
	for _, t := range q.Terms {
		if e.tf[t] == 0 {
			return false
		}
	}
	q.Open = false
	return matches(e, q, p.PublishedAt)
}
