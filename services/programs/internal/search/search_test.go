package search

import (
	"fmt"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Machine Learning for the Robots", []string{"machine", "learning", "robot"}},
		{"機械学習", []string{"機械", "械学", "学習"}},
		{"AIと防災", []string{"ai", "と防", "防災"}},
		{"米", []string{"米"}},
		{"Ｐｙｔｈｏｎ and C++", []string{"python", "c++"}},
		{"field 1.2 and 2.10.", []string{"field", "1.2", "2.10"}},
		{"class analysis", []string{"class", "analysi"}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := Tokens(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		raw     string
		check   func(q Query) bool
		errs    []string
		comment string
	}{
		{"", func(q Query) bool { return q.Page == 1 && q.PageSize == DefaultPageSize && q.Sort == SortDeadline }, nil, "defaults"},
		{"q=Robotics+AI", func(q Query) bool { return slices.Equal(q.Terms, []string{"robotic", "ai"}) && q.Sort == SortRelevance }, nil, "relevance by default with text"},
		{"q=the+of", func(q Query) bool { return len(q.Terms) == 0 && q.Sort == SortDeadline }, nil, "only stopwords"},
		{"kind=internship&hostCountry=jp&field=1.2&open=true", func(q Query) bool {
			return q.Kind == "internship" && q.HostCountry == "JP" && q.Field == "1.2" && q.Open
		}, nil, "filters"},
		{"region=tokyo", func(q Query) bool { return q.Region == "Tokyo" }, nil, "region any country"},
		{"region=東京都&hostCountry=JP", func(q Query) bool { return q.Region == "Tokyo" }, nil, "region by label"},
		{"region=Tokyo&hostCountry=IN", nil, []string{"region"}, "region of the other country"},
		{"sort=deadline&page=3&pageSize=5", func(q Query) bool { return q.Sort == SortDeadline && q.Page == 3 && q.PageSize == 5 }, nil, "paging"},
		{"asOf=2027-01-02T03:04:05.678Z", func(q Query) bool {
			return q.AsOf.Equal(time.Date(2027, 1, 2, 3, 4, 5, 678e6, time.UTC))
		}, nil, "snapshot"},
		{"page=0&pageSize=101&sort=best&open=maybe&kind=x&field=9&startsAfter=tomorrow&asOf=now", nil,
			[]string{"page", "pageSize", "sort", "open", "kind", "field", "startsAfter", "asOf"}, "every bad value"},
		{"status=draft", nil, []string{"status"}, "unknown parameter"},
		{"q=a&q=b", nil, []string{"q"}, "repeated parameter"},
	}
	for _, tc := range tests {
		t.Run(tc.comment, func(t *testing.T) {
			v, err := url.ParseQuery(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			q, errs := ParseQuery(v)
			var got []string
			for _, e := range errs {
				got = append(got, e.Field)
			}
			slices.Sort(got)
			want := slices.Clone(tc.errs)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("ParseQuery(%q) errors = %v, want %v", tc.raw, errs, want)
			}
			if tc.check != nil && !tc.check(q) {
				t.Errorf("ParseQuery(%q) = %+v", tc.raw, q)
			}
		})
	}
}

// clock is a clock that moves only when told.
type clock struct{ t atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.t.Store(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.t.Add(int64(d)) }

type spec struct {
	id, title, titleJa, desc, kind, country, region, deadline string
	fields, skills                                            []string
}

func program(t testing.TB, s spec, now time.Time) *domain.Program {
	t.Helper()
	p, err := newProgram(s, now)
	if err != nil {
		t.Fatalf("program %s: %v", s.id, err)
	}
	return p
}

func newProgram(s spec, now time.Time) (*domain.Program, error) {
	n := 1
	c := domain.Content{
		Title: s.title, TitleJa: s.titleJa, Description: s.desc + " (description)", Kind: s.kind,
		HostOrg: "Host", HostCountry: s.country, Region: s.region, Fields: s.fields, Skills: s.skills,
		Seats: &n, StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: s.deadline,
	}
	p, err := domain.New(s.id, "h1", c, now)
	if err != nil {
		return nil, err
	}
	if _, err := p.Publish(now); err != nil {
		return nil, err
	}
	return p, nil
}

var catalogue = []spec{
	{id: "p1", title: "Disaster resilience with remote sensing", titleJa: "リモートセンシングによる防災",
		desc: "Satellite imagery for floods.", kind: "joint_research", country: "JP", region: "Miyagi",
		deadline: "2027-03-31", fields: []string{"2.2"}, skills: []string{"python", "gis"}},
	{id: "p2", title: "Robotics internship", titleJa: "ロボット工学インターンシップ",
		desc: "Build warehouse robots.", kind: "internship", country: "JP", region: "Tokyo",
		deadline: "2027-02-28", fields: []string{"2.3"}, skills: []string{"ros", "c++"}},
	{id: "p3", title: "Machine learning exchange", titleJa: "機械学習の交換留学",
		desc: "A semester of NLP courses.", kind: "exchange", country: "JP", region: "Kyoto",
		deadline: "2027-04-15", fields: []string{"1.2"}, skills: []string{"nlp", "python"}},
	{id: "p4", title: "Water quality fellowship", titleJa: "水質フェローシップ",
		desc: "River monitoring in Kerala.", kind: "fellowship", country: "IN", region: "Kerala",
		deadline: "2027-03-01", fields: []string{"1.5"}, skills: []string{"chemistry"}},
	{id: "p5", title: "Software internship in Bengaluru", titleJa: "ベンガルールでのソフトウェアインターンシップ",
		desc: "Backend services in Go.", kind: "internship", country: "IN", region: "Karnataka",
		deadline: "2027-05-01", fields: []string{"1.2"}, skills: []string{"go", "python"}},
}

func load(t *testing.T) (*Index, *clock) {
	t.Helper()
	c := newClock()
	ix := New(c.now)
	for _, s := range catalogue {
		ix.Put(program(t, s, c.now()))
	}
	c.advance(time.Second)
	return ix, c
}

func ids(r Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Program.ID)
	}
	return out
}

func parse(t *testing.T, raw string) Query {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	q, errs := ParseQuery(v)
	if len(errs) > 0 {
		t.Fatalf("ParseQuery(%q): %v", raw, errs)
	}
	return q
}

func TestSearch(t *testing.T) {
	ix, _ := load(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"q=remote+sensing", []string{"p1"}},
		{"q=robots", []string{"p2"}},
		{"q=python", nil}, // checked for membership below: three programs
		{"q=防災", []string{"p1"}},
		{"q=機械学習", []string{"p3"}},
		{"q=インターンシップ", []string{"p2", "p5"}},
		{"q=ロボット", []string{"p2"}},
		{"q=computer+information+science", []string{"p3", "p5"}},               // the label of field 1.2
		{"q=計算機科学", []string{"p3", "p5"}},                                      // its Japanese label
		{"q=1.2", []string{"p3", "p5"}},                                        // the code itself
		{"q=nlp+python", []string{"p3"}},                                       // every word must match
		{"q=quantum", []string{}},                                              // nothing
		{"sort=deadline", []string{"p2", "p4", "p1", "p3", "p5"}},              // all, by deadline
		{"kind=internship", []string{"p2", "p5"}},                              // filter
		{"kind=internship&hostCountry=IN", []string{"p5"}},                     // filters combine
		{"kind=internship&hostCountry=IN&field=1.2&open=true", []string{"p5"}}, // four filters
		{"kind=internship&hostCountry=JP&field=1.2", []string{}},               // nothing has all
		{"field=1", []string{"p4", "p3", "p5"}},                                // a major field takes its subfields
		{"region=kyoto", []string{"p3"}},
		{"startsAfter=2027-06-01&hostCountry=IN", []string{"p4", "p5"}},
		{"startsAfter=2027-06-02", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got := ids(ix.Search(parse(t, tc.query), domain.Actor{}))
			if tc.want == nil {
				slices.Sort(got)
				if want := []string{"p1", "p3", "p5"}; !slices.Equal(got, want) {
					t.Errorf("Search(%s) = %v, want %v in some order", tc.query, got, want)
				}
				return
			}
			if tc.query[:2] == "q=" && len(got) > 1 {
				slices.Sort(got)
			}
			if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("Search(%s) = %v, want %v", tc.query, got, tc.want)
			}
		})
	}
}

func TestRelevanceOrder(t *testing.T) {
	ix, _ := load(t)
	// "python" is a skill of p1, p3 and p5; none has it in the title, so
	// length decides: every hit scores, and the order is by score then id.
	res := ix.Search(parse(t, "q=python"), domain.Actor{})
	for i := 1; i < len(res.Hits); i++ {
		a, b := res.Hits[i-1], res.Hits[i]
		if a.Score < b.Score || (a.Score == b.Score && a.Program.ID > b.Program.ID) {
			t.Errorf("hits out of order: %s (%v) before %s (%v)", a.Program.ID, a.Score, b.Program.ID, b.Score)
		}
		if b.Score <= 0 {
			t.Errorf("hit %s has score %v, want > 0", b.Program.ID, b.Score)
		}
	}
	// A title match outweighs a description match.
	c := newClock()
	ix = New(c.now)
	ix.Put(program(t, spec{id: "a", title: "Ocean study", desc: "Robotics lab visits.", kind: "exchange",
		country: "JP", region: "Tokyo", deadline: "2027-03-01", fields: []string{"1.5"}}, c.now()))
	ix.Put(program(t, spec{id: "b", title: "Robotics study", desc: "Ocean trips.", kind: "exchange",
		country: "JP", region: "Tokyo", deadline: "2027-03-01", fields: []string{"1.5"}}, c.now()))
	c.advance(time.Second)
	if got := ids(ix.Search(parse(t, "q=robotics"), domain.Actor{})); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("Search(robotics) = %v, want [b a] (title first)", got)
	}
}

// Half-width katakana, common in text typed on older Japanese systems,
// finds the same word written in full-width katakana, and back.
func TestHalfWidthKatakana(t *testing.T) {
	ix, c := load(t)
	ix.Put(program(t, spec{id: "jp", title: "プログラミング入門", desc: "ﾃﾞｰﾀ構造とアルゴリズム。", kind: "exchange",
		country: "JP", region: "Tokyo", deadline: "2027-03-01", fields: []string{"1.2"}}, c.now()))
	c.advance(time.Second)
	tests := []struct {
		query string
		want  []string
	}{
		{"q=ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ", []string{"jp"}},
		{"q=ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ入門", []string{"jp"}},
		{"q=プログラミング", []string{"jp"}},
		{"q=データ構造", []string{"jp"}}, // the description is half-width
		{"q=ﾌﾟﾛｸﾞﾗﾑ", []string{}},   // プログラム: ラム is in no program
	}
	for _, tc := range tests {
		got := ids(ix.Search(parse(t, tc.query), domain.Actor{}))
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("Search(%s) = %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestVisibility(t *testing.T) {
	c := newClock()
	ix := New(c.now)
	pub := program(t, catalogue[0], c.now())
	draft := program(t, catalogue[1], c.now())
	draft.Status, draft.PublishedAt = domain.StatusDraft, time.Time{}
	closed := program(t, catalogue[2], c.now())
	c.advance(time.Second)
	closed.Close(domain.ClosedByHost, c.now())
	for _, p := range []*domain.Program{pub, draft, closed} {
		ix.Put(p)
	}
	c.advance(time.Second)
	if got := ids(ix.Search(parse(t, ""), domain.Actor{})); !slices.Equal(got, []string{"p1"}) {
		t.Errorf("public search = %v, want only the published p1", got)
	}
	owner := domain.Actor{ID: "h1", Role: domain.RoleHost}
	got := ids(ix.Search(parse(t, "mine=true"), owner))
	slices.Sort(got)
	if !slices.Equal(got, []string{"p1", "p2", "p3"}) {
		t.Errorf("mine = %v, want all three of the host's programs", got)
	}
	if got := ids(ix.Search(parse(t, "mine=true"), domain.Actor{ID: "h2", Role: domain.RoleHost})); len(got) != 0 {
		t.Errorf("another host's mine = %v, want none", got)
	}
}

func TestOlderVersionIgnored(t *testing.T) {
	c := newClock()
	ix := New(c.now)
	p := program(t, catalogue[0], c.now())
	old := *p
	c.advance(time.Second)
	p.Close(domain.ClosedByHost, c.now())
	if !ix.Put(p) || ix.Put(&old) {
		t.Fatalf("Put(new) then Put(old): want only the first to change the index")
	}
	if got, _ := ix.Get("p1"); got.Status != domain.StatusClosed {
		t.Errorf("status after an old copy arrived = %s, want closed", got.Status)
	}
}

// TestSnapshotPaging pages through the catalogue while other goroutines
// publish programs that sort before, between and after the ones already
// paged, and close some: every program of the first page's snapshot comes
// back exactly once, and nothing else.
func TestSnapshotPaging(t *testing.T) {
	c := newClock()
	ix := New(c.now)
	const initial = 60
	var mu sync.Mutex
	byID := map[string]*domain.Program{}
	for i := range initial {
		p := program(t, spec{id: fmt.Sprintf("a%03d", i), title: "Robotics lab", kind: "exchange", country: "JP",
			region: "Tokyo", deadline: fmt.Sprintf("2027-03-%02d", 1+i%28), fields: []string{"2.3"}}, c.now())
		ix.Put(p)
		byID[p.ID] = p
	}
	c.advance(time.Millisecond * 5)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Microsecond):
				}
				done := ix.Begin()
				c.advance(time.Millisecond)
				// Ids and deadlines that sort among the existing ones.
				p, err := newProgram(spec{id: fmt.Sprintf("a%03d-%d-%d", i%initial, w, i), title: "Robotics lab",
					kind: "exchange", country: "JP", region: "Tokyo", deadline: fmt.Sprintf("2027-03-%02d", 1+i%28),
					fields: []string{"2.3"}}, c.now())
				if err != nil {
					t.Errorf("new program: %v", err)
					done()
					return
				}
				ix.Put(p)
				done()
				// Close one of the originals now and then; like every
				// write, under Begin.
				if i%5 == 0 {
					mu.Lock()
					old := byID[fmt.Sprintf("a%03d", (i*7)%initial)]
					if old.Status == domain.StatusPublished {
						done := ix.Begin()
						cp := *old
						cp.Close(domain.ClosedByHost, c.now())
						byID[cp.ID] = &cp
						ix.Put(&cp)
						done()
					}
					mu.Unlock()
				}
			}
		}()
	}

	type run struct {
		asOf time.Time
		seen map[string]int
	}
	runs := map[string]run{}
	for _, sortBy := range []string{"deadline", "relevance"} {
		query := "q=robotics&sort=" + sortBy + "&pageSize=7"
		first := ix.Search(parse(t, query), domain.Actor{})
		seen := map[string]int{}
		runs[sortBy] = run{first.AsOf, seen}
		total := first.Total
		for page := 1; ; page++ {
			q := parse(t, fmt.Sprintf("%s&page=%d&asOf=%s", query, page, first.AsOf.Format(time.RFC3339Nano)))
			res := ix.Search(q, domain.Actor{})
			if res.Total != total {
				t.Fatalf("%s page %d: total %d, want %d as on page 1", sortBy, page, res.Total, total)
			}
			if len(res.Hits) == 0 {
				break
			}
			for _, h := range res.Hits {
				seen[h.Program.ID]++
			}
			time.Sleep(time.Millisecond)
		}
		if len(seen) != total {
			t.Errorf("%s: %d distinct programs over the pages, want %d", sortBy, len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: program %s came back %d times", sortBy, id, n)
			}
		}
	}
	close(stop)
	wg.Wait()
	// Every original still open at the snapshot was paged.
	for sortBy, r := range runs {
		for id, p := range byID {
			if (p.ClosedAt.IsZero() || p.ClosedAt.After(r.asOf)) && r.seen[id] != 1 {
				t.Errorf("%s: %s (closed at %v, snapshot %v) seen %d times, want once", sortBy, id, p.ClosedAt, r.asOf, r.seen[id])
			}
		}
	}
}
