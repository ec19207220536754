package search

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// reference is the straightforward catalogue the index is checked against:
// the latest version of every program, and a search that scores every
// program of the collection in full and sorts every hit (the index's
// search before it had postings). It shares with the index only how a
// program is turned into terms (build), the filters (matches) and the BM25
// formula (bm25).
type reference struct {
	progs map[string]*domain.Program
	// entries holds build's model of each program, made once per version.
	entries map[string]*entry
}

func (r *reference) put(p *domain.Program) bool {
	if old, ok := r.progs[p.ID]; ok && old.Version >= p.Version {
		return false
	}
	cp := *p
	r.progs[p.ID] = &cp
	r.entries[p.ID] = build(&cp)
	return true
}

func (r *reference) search(q Query, viewer domain.Actor, asOf time.Time) Result {
	var pool []*entry
	for _, e := range r.entries {
		p := e.p
		if q.Mine {
			if viewer.Role == domain.RoleHost && viewer.ID != "" && p.HostID == viewer.ID {
				pool = append(pool, e)
			}
		} else if visibleAt(p, asOf) {
			pool = append(pool, e)
		}
	}
	var idf []float64
	var avg float64
	if len(q.Terms) > 0 && len(pool) > 0 {
		n := float64(len(pool))
		var total float64
		for _, e := range pool {
			total += e.length
		}
		avg = total / n
		if avg == 0 {
			avg = 1
		}
		for _, t := range q.Terms {
			df := 0
			for _, e := range pool {
				if e.tf[t] > 0 {
					df++
				}
			}
			idf = append(idf, math.Log(1+(n-float64(df)+0.5)/(float64(df)+0.5)))
		}
	}
	var hits []Hit
	for _, e := range pool {
		if !matches(e, q, asOf) {
			continue
		}
		var row []float64
		for _, t := range q.Terms {
			row = append(row, e.tf[t])
		}
		score, ok := bm25(e.length, row, idf, avg)
		if ok {
			hits = append(hits, Hit{Program: e.p, Score: score})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		switch q.Sort {
		case SortDeadline:
			if c := cmp.Compare(a.Program.ApplicationDeadline, b.Program.ApplicationDeadline); c != 0 {
				return c
			}
		case SortNewest:
			if c := b.Program.PublishedAt.Compare(a.Program.PublishedAt); c != 0 {
				return c
			}
		case SortStart:
			if c := cmp.Compare(a.Program.StartDate, b.Program.StartDate); c != 0 {
				return c
			}
		default:
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Program.ID, b.Program.ID)
	})
	res := Result{Total: len(hits), AsOf: asOf, Hits: []Hit{}}
	if from := (q.Page - 1) * q.PageSize; from < len(hits) {
		res.Hits = hits[from:min(from+q.PageSize, len(hits))]
	}
	return res
}

func (r *reference) due(now time.Time, limit int) []string {
	var due []*domain.Program
	for _, p := range r.progs {
		if p.Status == domain.StatusPublished && !now.Before(p.ClosesAt) {
			due = append(due, p)
		}
	}
	slices.SortFunc(due, func(a, b *domain.Program) int {
		return cmp.Or(a.ClosesAt.Compare(b.ClosesAt), cmp.Compare(a.ID, b.ID))
	})
	ids := []string{}
	for _, p := range due[:min(limit, len(due))] {
		ids = append(ids, p.ID)
	}
	return ids
}

// diff describes how got differs from want, or returns "".
func diff(got, want Result) string {
	var b strings.Builder
	if got.Total != want.Total {
		fmt.Fprintf(&b, "total %d, want %d; ", got.Total, want.Total)
	}
	if !got.AsOf.Equal(want.AsOf) {
		fmt.Fprintf(&b, "asOf %v, want %v; ", got.AsOf, want.AsOf)
	}
	if got.Hits == nil {
		b.WriteString("hits nil, want a slice; ")
	}
	show := func(hs []Hit) string {
		var s []string
		for _, h := range hs {
			s = append(s, fmt.Sprintf("%s@v%d:%v", h.Program.ID, h.Program.Version, h.Score))
		}
		return "[" + strings.Join(s, " ") + "]"
	}
	same := len(got.Hits) == len(want.Hits)
	for i := 0; same && i < len(got.Hits); i++ {
		g, w := got.Hits[i], want.Hits[i]
		same = g.Program.ID == w.Program.ID && g.Program.Version == w.Program.Version &&
			math.Float64bits(g.Score) == math.Float64bits(w.Score)
	}
	if !same {
		fmt.Fprintf(&b, "hits %s, want %s", show(got.Hits), show(want.Hits))
	}
	return b.String()
}

// Words the random catalogues and queries are made of: English, with
// repeats and plurals, and Japanese, which is searched by bigrams.
var (
	randWords = []string{"robotics", "robot", "python", "machine", "learning", "ocean", "oceans", "energy", "data",
		"science", "remote", "sensing", "water", "quality", "software", "design", "health", "policy", "climate",
		"lab", "summer", "winter", "1.2", "c++"}
	randJapanese = []string{"機械学習", "防災", "ロボット工学", "データ科学", "海洋研究", "エネルギー", "水質",
		"日本語", "夏の研究室", "学", "インターンシップ"}
	randQueryOnly = []string{"quantum", "学習", "研究", "ロボット", "東京", "science", "the", "Ｐｙｔｈｏｎ",
		"computer", "engineering", "tokyo", "internship", "交換留学"}
	randSkills  = []string{"python", "go", "c++", "ros", "gis", "nlp", "chemistry", "statistics", "機械学習"}
	randFields  = []string{"1.1", "1.2", "1.5", "2.2", "2.3", "2.10", "3.1", "5.2", "6.2"}
	randRegions = map[string][]string{"JP": {"Tokyo", "Kyoto", "Miyagi", "Hokkaido"}, "IN": {"Kerala", "Karnataka", "Tamil Nadu"}}
	randHosts   = []string{"h1", "h2", "h3", "h4"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randText(r *rand.Rand, words []string, n int) string {
	var out []string
	for range n {
		out = append(out, pick(r, words))
	}
	return strings.Join(out, " ")
}

func randContent(r *rand.Rand) domain.Content {
	country := pick(r, []string{"JP", "IN"})
	seats := 1 + r.IntN(3)
	c := domain.Content{
		Title:       randText(r, randWords, 1+r.IntN(4)),
		Description: "About " + randText(r, randWords, r.IntN(6)) + " " + randText(r, randJapanese, r.IntN(3)),
		Kind:        pick(r, taxonomy.ProgramKinds.Codes()),
		HostOrg:     pick(r, []string{"Tohoku University", "Infosys", "Kobe Robotics", "IIT Madras"}),
		HostCountry: country,
		Region:      pick(r, randRegions[country]),
		Seats:       &seats,
		StartDate:   fmt.Sprintf("2027-06-%02d", 1+r.IntN(3)),
		EndDate:     "2027-08-31",
		// Few deadlines, so that many programs share one.
		ApplicationDeadline: fmt.Sprintf("2027-%02d-%02d", 2+r.IntN(4), 1+r.IntN(3)),
	}
	if r.IntN(2) == 0 {
		c.TitleJa = randText(r, randJapanese, 1+r.IntN(2))
	}
	for range r.IntN(4) {
		c.Skills = append(c.Skills, pick(r, randSkills))
	}
	for range 1 + r.IntN(2) {
		if f := pick(r, randFields); !slices.Contains(c.Fields, f) {
			c.Fields = append(c.Fields, f)
		}
	}
	return c
}

func randQuery(t *testing.T, r *rand.Rand) Query {
	t.Helper()
	v := url.Values{}
	if n := r.IntN(4); n > 0 {
		var words []string
		for range n {
			switch r.IntN(3) {
			case 0:
				words = append(words, pick(r, randWords))
			case 1:
				words = append(words, pick(r, randJapanese))
			default:
				words = append(words, pick(r, randQueryOnly))
			}
		}
		v.Set("q", strings.Join(words, " "))
	}
	country := ""
	if r.IntN(4) == 0 {
		country = pick(r, []string{"JP", "IN"})
		v.Set("hostCountry", country)
	}
	if r.IntN(4) == 0 {
		v.Set("kind", pick(r, taxonomy.ProgramKinds.Codes()))
	}
	if r.IntN(5) == 0 {
		v.Set("field", pick(r, append([]string{"1", "2", "5"}, randFields...)))
	}
	if r.IntN(6) == 0 {
		if country == "" {
			v.Set("region", pick(r, append(randRegions["JP"], randRegions["IN"]...)))
		} else {
			v.Set("region", pick(r, randRegions[country]))
		}
	}
	if r.IntN(4) == 0 {
		v.Set("open", "true")
	}
	if r.IntN(6) == 0 {
		v.Set("startsAfter", fmt.Sprintf("2027-06-%02d", 1+r.IntN(3)))
	}
	if r.IntN(3) == 0 {
		v.Set("sort", pick(r, Sorts))
	}
	if r.IntN(5) == 0 {
		v.Set("mine", "true")
	}
	v.Set("page", strconv.Itoa(1+r.IntN(4)))
	v.Set("pageSize", strconv.Itoa(pick(r, []int{1, 2, 3, 5, 8, 100})))
	q, errs := ParseQuery(v)
	if len(errs) > 0 {
		t.Fatalf("ParseQuery(%s): %v", v.Encode(), errs)
	}
	return q
}

// TestSearchMatchesReference builds random catalogues step by step, with
// programs created, published, edited and closed, and old copies arriving
// late, and after every few steps compares the index's answers with the
// reference's: the same hits in the same order with the same scores, the
// same totals and the same snapshot, for random queries, pages, viewers and
// snapshots (new ones, earlier pages' and arbitrary instants).
func TestSearchMatchesReference(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			steps := 600
			if seed%10 == 0 {
				steps = 3000 // enough changes for many merges of the history
			}
			checkAgainstReference(t, seed, steps)
		})
	}
}

func checkAgainstReference(t *testing.T, seed uint64, steps int) {
	r := rand.New(rand.NewPCG(seed, 7))
	c := newClock()
	ix := New(c.now)
	ref := &reference{progs: map[string]*domain.Program{}, entries: map[string]*entry{}}
	var ids []string
	// instants are times worth taking a snapshot at: every publication
	// and closing, and earlier answers' snapshots.
	var instants []time.Time
	put := func(p *domain.Program) {
		t.Helper()
		if got, want := ix.Put(p), ref.put(p); got != want {
			t.Fatalf("Put(%s v%d) = %v, want %v", p.ID, p.Version, got, want)
		}
		instants = append(instants, p.PublishedAt, p.ClosedAt)
	}
	// change puts a changed copy of a random program.
	change := func(fn func(p *domain.Program) bool) {
		if len(ids) == 0 {
			return
		}
		cp := *ref.progs[pick(r, ids)]
		if fn(&cp) {
			put(&cp)
		}
	}
	viewers := []domain.Actor{{}, {ID: "h1", Role: domain.RoleHost}, {ID: "h2", Role: domain.RoleHost},
		{ID: "h1", Role: domain.RoleApplicant}, {ID: "c1", Role: domain.RoleCoordinator}, {Role: domain.RoleHost}}
	// What the searches covered, so that a change of the generators that
	// made them trivial would show.
	var searches, textHits, pagedHits, snapshotHits int
	for step := range steps {
		switch r.IntN(3) {
		case 0:
		case 1:
			c.advance(time.Duration(r.IntN(3)) * time.Millisecond)
		default:
			c.advance(time.Duration(r.IntN(2000)) * time.Microsecond)
		}
		now := c.now()
		switch op := r.IntN(20); {
		case op < 6: // a new program, published at once or not
			// Short ids, and long ones alike in their first 16 bytes or
			// more, as UUIDv7s made in the same millisecond are.
			id := pick(r, []string{"p%04d", "01890000-0000-7000-8000-00000000%04d", "0189000000000000%d"})
			id = fmt.Sprintf(id, r.IntN(10000))
			if _, ok := ref.progs[id]; ok {
				continue
			}
			p, err := domain.New(id, pick(r, randHosts), randContent(r), now)
			if err != nil {
				t.Fatalf("step %d: new program: %v", step, err)
			}
			if r.IntN(2) == 0 {
				if _, err := p.Publish(now); err != nil {
					t.Fatalf("step %d: publish: %v", step, err)
				}
			}
			ids = append(ids, id)
			put(p)
		case op < 8:
			change(func(p *domain.Program) bool { ok, _ := p.Publish(now); return ok })
		case op < 11:
			change(func(p *domain.Program) bool { ok, _ := p.Edit(randContent(r), now); return ok })
		case op < 13:
			change(func(p *domain.Program) bool {
				return p.Close(pick(r, []string{domain.ClosedByHost, domain.ClosedByDeadline}), now)
			})
		case op < 14:
			change(func(p *domain.Program) bool { return p.Lock("r1", now) })
		case op < 15: // an old copy arriving late changes nothing
			change(func(p *domain.Program) bool { p.Version -= int64(r.IntN(2)); p.Title = "stale"; return true })
		case op < 16 && r.IntN(4) == 0: // odd data: another host
			change(func(p *domain.Program) bool { p.HostID, p.Version = pick(r, randHosts), p.Version+1; return true })
		case op < 16: // odd data: closed before or as it was published
			change(func(p *domain.Program) bool {
				if p.PublishedAt.IsZero() {
					return false
				}
				p.Status, p.ClosedAt, p.Version = domain.StatusClosed, p.PublishedAt.Add(-time.Duration(r.IntN(2))*time.Millisecond), p.Version+1
				return true
			})
		default:
			for range 1 + r.IntN(4) {
				searches++
				q := randQuery(t, r)
				safe := c.now().Add(-time.Millisecond)
				switch k := r.IntN(6); {
				case k < 2 || len(instants) == 0:
				case k < 5:
					q.AsOf = pick(r, instants).Add(time.Duration(r.IntN(3)-1) * time.Millisecond)
				default:
					q.AsOf = pick(r, []time.Time{time.Date(1001, 1, 1, 0, 0, 0, 0, time.UTC),
						time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC), safe.Add(time.Hour)})
				}
				asOf := q.AsOf
				if asOf.IsZero() || asOf.After(safe) {
					asOf = safe
				}
				viewer := pick(r, viewers)
				got := ix.Search(q, viewer)
				if d := diff(got, ref.search(q, viewer, asOf)); d != "" {
					t.Fatalf("step %d: Search(%+v) as %+v over %d programs: %s", step, q, viewer, len(ref.progs), d)
				}
				instants = append(instants, got.AsOf)
				if len(q.Terms) > 0 && got.Total > 1 {
					textHits++
				}
				if got.Total > len(got.Hits) && len(got.Hits) > 0 {
					pagedHits++
				}
				if !q.AsOf.IsZero() && got.Total > 0 {
					snapshotHits++
				}
			}
			at := time.Date(2027, time.Month(2+r.IntN(5)), 1+r.IntN(3), r.IntN(24), 0, 0, 0, time.UTC)
			limit := 1 + r.IntN(20)
			if got, want := ix.Due(at, limit), ref.due(at, limit); !slices.Equal(got, want) {
				t.Fatalf("step %d: Due(%v, %d) = %v, want %v", step, at, limit, got, want)
			}
		}
	}
	if ix.Len() != len(ref.progs) {
		t.Errorf("Len() = %d, want %d", ix.Len(), len(ref.progs))
	}
	if textHits == 0 || pagedHits == 0 || snapshotHits == 0 {
		t.Fatalf("of %d searches, %d found several programs by text, %d a page of several, %d found any in an earlier snapshot; want some of each",
			searches, textHits, pagedHits, snapshotHits)
	}
	t.Logf("%d searches: %d by text with several hits, %d a page of several, %d in an earlier snapshot", searches, textHits, pagedHits, snapshotHits)
}

// TestKeyCompare checks the keys hits are sorted by against the strings'
// own order, around the 16 bytes a key holds.
func TestKeyCompare(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	str := func() string {
		b := make([]byte, 12+r.IntN(8))
		for i := range b {
			b[i] = pick(r, []byte{0, 'a', 'b', 0xff})
		}
		return string(b)
	}
	for range 100000 {
		a, b := str(), str()
		if r.IntN(4) == 0 {
			b = a[:r.IntN(len(a)+1)]
		}
		want := strings.Compare(a, b)
		got, ok := keyOf(a).compare(keyOf(b))
		if !ok {
			if len(a) <= 16 || len(b) <= 16 || a[:16] != b[:16] {
				t.Fatalf("keys of %q and %q cannot tell, want %d", a, b, want)
			}
			continue
		}
		if got != want {
			t.Fatalf("keys of %q and %q compare %d, want %d", a, b, got, want)
		}
	}
}
