package search

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// BenchmarkSearch measures one public search over a catalogue of 10,000
// published programs (the catalogue of search_test.go, repeated with
// numbered titles), for one- and two-term queries and without text.
func BenchmarkSearch(b *testing.B) {
	c := newClock()
	ix := New(c.now)
	for i := range 10000 {
		s := catalogue[i%len(catalogue)]
		s.id = fmt.Sprintf("p%05d", i)
		s.title = fmt.Sprintf("%s %d", s.title, i)
		ix.Put(program(b, s, c.now()))
	}
	c.advance(time.Second)
	// The eligibility filter checks every program of the catalogue with
	// eligibility.Check for this applicant.
	asha := &eligibility.Applicant{Kind: "student", HomeCountry: "IN", DegreeLevel: "master", BirthYear: 2001,
		Languages: []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N2"}}}
	for _, raw := range []string{"q=python", "q=machine+learning", "q=robotics", "kind=internship",
		"sort=newest", "sort=start", "eligible=true", "eligible=true&q=python"} {
		v, err := url.ParseQuery(raw)
		if err != nil {
			b.Fatal(err)
		}
		q, errs := ParseQuery(v)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		if q.Eligible {
			q.Applicant = asha
		}
		b.Run(raw, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := ix.Search(q, domain.Actor{}); r.Total == 0 {
					b.Fatalf("Search(%s) found nothing", raw)
				}
			}
		})
	}
}
