package search

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
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
	for _, raw := range []string{"q=python", "q=machine+learning", "q=robotics", "kind=internship"} {
		v, err := url.ParseQuery(raw)
		if err != nil {
			b.Fatal(err)
		}
		q, errs := ParseQuery(v)
		if len(errs) > 0 {
			b.Fatal(errs)
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
