// Package search is the in-memory catalogue behind GET /programs: free text
// scored with BM25 in Go (FerretDB has no text indexes), filters, sorting and
// stable paging.
//
// # Stable paging
//
// Every answer carries asOf, the instant its snapshot was taken; a client
// passes it back when it asks for the next page. A program is in the
// snapshot at T when it was published at or before T and not closed before
// T. Publication and closing times are stored with the program, and the
// index keeps closed programs, so the set of programs and the collection
// statistics that BM25 scores with are the same for every page of one
// search: a program published meanwhile is not in the snapshot and cannot
// push an earlier item onto a later page, and one closed meanwhile does not
// leave a hole that pulls one forward. Every program of the snapshot is
// returned exactly once across the pages. (Editing a program's text or
// filters between two page requests can still move it; items always show
// the program as it is now.)
//
// To make that hold while writes are under way, a write registers with
// Begin before it reads the clock for its timestamps and ends once the
// program is in the index. A snapshot instant is always earlier than the
// start of every write in flight and than the present, so a program
// missing from the index when a first page is computed can never belong to
// that page's snapshot. Across replicas, each learns of the others' writes
// from MongoDB within the refresh interval, so a page served by another
// replica may differ by what was published in that interval.
//
// # Cost
//
// The index is inverted: each term lists the programs that hold it (in
// the order of their slots, a number each program gets for good), with the
// term's frequency in each. A text search reads only the lists of its
// terms: it counts their document frequencies in the snapshot, walks the
// shortest list while stepping through the others alongside, checks the
// filters on those candidates alone, and keeps the best page*pageSize of
// them in a bounded heap instead of sorting every hit. The number of
// programs in the snapshot and their total length come from a history of
// publications and closings (public.go), not from a pass over the
// catalogue. What a candidate is checked and ordered by (public span,
// length, kind, country, the leading bytes of its id and deadline) is kept
// in arrays by slot, so most candidates are decided without following a
// pointer. Only a listing without text visits every program, since its
// total counts them all.
package search

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// BM25 parameters (the usual defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Term weights: a word in the title counts three times, in skills and
// fields twice, elsewhere once.
const (
	weightTitle  = 3
	weightSkill  = 2
	weightField  = 2
	weightOthers = 1
)

// Hit is one program found, with its relevance score (0 without free text).
// The program is shared with the index and must not be modified.
type Hit struct {
	Program *domain.Program
	Score   float64
}

// Result is one page of a search.
type Result struct {
	Hits  []Hit
	Total int
	AsOf  time.Time
}

// Index holds every program, in every status.
type Index struct {
	now func() time.Time

	mu       sync.RWMutex
	inflight map[uint64]time.Time
	next     uint64

	// Every program has a slot, for good: the index never forgets one.
	// docs, info and keys are indexed by slot.
	slots map[string]int32
	docs  []*entry
	// info holds what a search checks of every candidate, side by side,
	// so that most candidates are decided without following a pointer.
	info []docInfo
	// keys are the strings hits are sorted by, as keys (page.go).
	keys []sortKeys
	// postings lists, for each term, the programs that hold it, by slot.
	postings map[string][]posting
	// byHost lists each host's programs, for mine=true.
	byHost map[string][]int32
	// codes numbers the kinds and host countries seen, for info.
	codes map[string]int32
	// public gives the size of the public catalogue at any instant.
	public history
}

type entry struct {
	p      *domain.Program
	tf     map[string]float64
	length float64
	// fields holds the program's field codes and their major fields.
	fields map[string]bool
	// terms are the keys of tf, sorted.
	terms []string
}

// docInfo is a program's public span, length, kind and host country (as
// numbered by Index.codes).
type docInfo struct {
	span
	length        float64
	kind, country int32
}

// posting is one program holding a term, with the term's frequency.
type posting struct {
	slot int32
	tf   float64
}

// New returns an empty index that reads the time from now (the clock the
// service stamps programs with).
func New(now func() time.Time) *Index {
	return &Index{
		now: now, inflight: map[uint64]time.Time{},
		slots: map[string]int32{}, postings: map[string][]posting{}, byHost: map[string][]int32{},
		codes: map[string]int32{},
	}
}

// Begin registers a write that is about to stamp a program with the time.
// Call the returned function once the program is stored and Put (or the
// write failed).
func (ix *Index) Begin() (done func()) {
	ix.mu.Lock()
	ix.next++
	tok := ix.next
	ix.inflight[tok] = ix.now()
	ix.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			ix.mu.Lock()
			delete(ix.inflight, tok)
			ix.mu.Unlock()
		})
	}
}

// Put adds or replaces a program. A copy older than (or as old as) the one
// held is ignored, so local writes and refreshes from the database can
// arrive in any order. It reports whether the index changed.
func (ix *Index) Put(p *domain.Program) bool {
	ix.mu.RLock()
	old, ok := ix.lookup(p.ID)
	ix.mu.RUnlock()
	if ok && old.p.Version >= p.Version {
		return false
	}
	e := build(p)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	slot, ok := ix.slots[p.ID]
	if !ok {
		slot = int32(len(ix.docs))
		ix.slots[p.ID] = slot
		ix.docs = append(ix.docs, nil)
		ix.info = append(ix.info, docInfo{span: never})
		ix.keys = append(ix.keys, sortKeys{})
	}
	old = ix.docs[slot]
	if old != nil && old.p.Version >= p.Version {
		return false
	}
	ix.repost(slot, old, e)
	if old == nil || old.p.HostID != e.p.HostID {
		if old != nil {
			ix.leaveHost(old.p.HostID, slot)
		}
		ix.byHost[e.p.HostID] = append(ix.byHost[e.p.HostID], slot)
	}
	in := &ix.info[slot]
	ix.public.add(in.span, in.length, -1)
	*in = docInfo{span: spanOf(e.p), length: e.length, kind: ix.code(e.p.Kind), country: ix.code(e.p.HostCountry)}
	ix.public.add(in.span, in.length, 1)
	ix.keys[slot] = sortKeysOf(e)
	ix.docs[slot] = e
	return true
}

// repost moves the postings of slot from old's terms and frequencies (old
// may be nil) to e's. Both term lists are sorted, so one pass finds the
// terms kept (whose frequency is updated in place), dropped and added.
func (ix *Index) repost(slot int32, old, e *entry) {
	var was []string
	if old != nil {
		was = old.terms
	}
	now := e.terms
	for len(was) > 0 || len(now) > 0 {
		switch {
		case len(now) == 0 || (len(was) > 0 && was[0] < now[0]):
			ix.unpost(was[0], slot)
			was = was[1:]
		case len(was) == 0 || now[0] < was[0]:
			ix.post(now[0], slot, e.tf[now[0]])
			now = now[1:]
		default:
			l := ix.postings[now[0]]
			l[find(l, slot)].tf = e.tf[now[0]]
			was, now = was[1:], now[1:]
		}
	}
}

// post adds slot to the postings of term, in slot order.
func (ix *Index) post(term string, slot int32, tf float64) {
	l := ix.postings[term]
	ix.postings[term] = slices.Insert(l, find(l, slot), posting{slot: slot, tf: tf})
}

// unpost takes slot out of the postings of term.
func (ix *Index) unpost(term string, slot int32) {
	l := ix.postings[term]
	i := find(l, slot)
	if l = slices.Delete(l, i, i+1); len(l) == 0 {
		delete(ix.postings, term)
	} else {
		ix.postings[term] = l
	}
}

// find returns where slot is, or would be, in postings sorted by slot.
func find(l []posting, slot int32) int {
	i, _ := slices.BinarySearchFunc(l, slot, func(p posting, slot int32) int { return cmp.Compare(p.slot, slot) })
	return i
}

// leaveHost takes slot out of host's programs.
func (ix *Index) leaveHost(host string, slot int32) {
	mine := ix.byHost[host]
	if i := slices.Index(mine, slot); i >= 0 {
		mine = slices.Delete(mine, i, i+1)
	}
	if len(mine) == 0 {
		delete(ix.byHost, host)
	} else {
		ix.byHost[host] = mine
	}
}

// code returns the number of a kind or country, numbering it if it is new.
func (ix *Index) code(s string) int32 {
	c, ok := ix.codes[s]
	if !ok {
		c = int32(len(ix.codes))
		ix.codes[s] = c
	}
	return c
}

func (ix *Index) lookup(id string) (*entry, bool) {
	slot, ok := ix.slots[id]
	if !ok {
		return nil, false
	}
	return ix.docs[slot], true
}

// Get returns the program held under id.
func (ix *Index) Get(id string) (*domain.Program, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e, ok := ix.lookup(id)
	if !ok {
		return nil, false
	}
	return e.p, true
}

// Len returns the number of programs held.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.slots)
}

// Due returns the ids of up to limit published programs whose applications
// closed at or before now, those that closed first first. The index may lag
// the database (another replica's writes arrive with the refresh), so the
// caller checks each program again before it closes it.
func (ix *Index) Due(now time.Time, limit int) []string {
	ix.mu.RLock()
	var due []*domain.Program
	for _, e := range ix.docs {
		if e.p.Due(now) {
			due = append(due, e.p)
		}
	}
	ix.mu.RUnlock()
	slices.SortFunc(due, func(a, b *domain.Program) int {
		if c := a.ClosesAt.Compare(b.ClosesAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	ids := make([]string, 0, min(len(due), limit))
	for _, p := range due[:min(len(due), limit)] {
		ids = append(ids, p.ID)
	}
	return ids
}

func build(p *domain.Program) *entry {
	cp := *p
	e := &entry{p: &cp, tf: map[string]float64{}, fields: map[string]bool{}}
	tok := newTokenizer()
	add := func(w float64, texts ...string) {
		for _, s := range texts {
			tok.Each(s, func(t []byte) {
				e.tf[string(t)] += w
				e.length += w
			})
		}
	}
	add(weightTitle, cp.Title, cp.TitleJa)
	add(weightOthers, cp.Description, cp.DescriptionJa, cp.HostOrg)
	for _, s := range cp.Skills {
		add(weightSkill, s)
	}
	for _, code := range cp.Fields {
		e.fields[code] = true
		add(weightField, code)
		if f, ok := taxonomy.Field(code); ok {
			add(weightField, f.Labels.En, f.Labels.Ja)
			e.fields[f.Major()] = true
			if parent, ok := taxonomy.ParentField(code); ok {
				add(weightOthers, parent.Code, parent.Labels.En, parent.Labels.Ja)
			}
		}
	}
	if t, ok := taxonomy.ProgramKinds.Term(cp.Kind); ok {
		add(weightOthers, t.Labels.En, t.Labels.Ja)
	}
	if r, ok := taxonomy.LookupRegion(cp.HostCountry, cp.Region); ok {
		add(weightOthers, r.Name, r.Labels.Ja)
	}
	e.terms = slices.Sorted(maps.Keys(e.tf))
	return e
}

// snapshotLocked returns the latest instant whose snapshot is complete:
// before every write in flight and before now. Callers hold mu.
func (ix *Index) snapshotLocked() time.Time {
	t := ix.now()
	for _, s := range ix.inflight {
		if s.Before(t) {
			t = s
		}
	}
	return t.Add(-time.Millisecond).UTC()
}

// visibleAt reports whether a program is in the public catalogue at t.
func visibleAt(p *domain.Program, t time.Time) bool {
	return p.Status != domain.StatusDraft && !p.PublishedAt.IsZero() && !p.PublishedAt.After(t) &&
		(p.ClosedAt.IsZero() || p.ClosedAt.After(t))
}

// Search answers q for viewer. The public catalogue is the snapshot at
// q.AsOf (or a new snapshot); with q.Mine a host sees their own programs
// in every status instead.
//
// BM25 takes its statistics (the number of programs, their average length
// and each term's document frequency) over that catalogue before any
// filter, and a program must hold every term. Hits are ordered by
// relevance or by deadline, then by id, so the order is total and the same
// on every call.
func (ix *Index) Search(q Query, viewer domain.Actor) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	safe := ix.snapshotLocked()
	asOf := q.AsOf
	if asOf.IsZero() || asOf.After(safe) {
		asOf = safe
	}
	top := newSelection(q, ix.docs, ix.keys)
	switch {
	case q.Mine:
		if viewer.Role == domain.RoleHost && viewer.ID != "" {
			ix.searchPool(q, asOf, ix.byHost[viewer.ID], top)
		}
	case len(q.Terms) == 0:
		ix.listPublic(q, asOf, top)
	default:
		ix.searchPublic(q, asOf, top)
	}
	return top.result(asOf)
}

// filter is the filters of a query, made ready to check against docInfo
// first: kind and country by number, the others on the entry.
type filter struct {
	q             Query
	asOf          time.Time
	kind, country int32 // -1: any
	none          bool  // no program has the kind or country asked for
	rest          bool  // a filter other than kind and country is set
}

func (ix *Index) filter(q Query, asOf time.Time) filter {
	f := filter{q: q, asOf: asOf, kind: -1, country: -1,
		rest: q.Field != "" || q.Region != "" || q.Open || q.StartsAfter != "" || q.Applicant != nil}
	for _, c := range []struct {
		want string
		code *int32
	}{{q.Kind, &f.kind}, {q.HostCountry, &f.country}} {
		if c.want == "" {
			continue
		}
		n, ok := ix.codes[c.want]
		f.none = f.none || !ok
		*c.code = n
	}
	return f
}

// pass applies the filters to the program in slot.
func (f *filter) pass(ix *Index, in *docInfo, slot int32) bool {
	return (f.kind < 0 || in.kind == f.kind) && (f.country < 0 || in.country == f.country) &&
		(!f.rest || matches(ix.docs[slot], f.q, f.asOf))
}

// listPublic offers every program of the snapshot at asOf that passes the
// filters.
func (ix *Index) listPublic(q Query, asOf time.Time, top *selection) {
	f := ix.filter(q, asOf)
	if f.none {
		return
	}
	t := nanos(asOf)
	for i := range ix.info {
		in, slot := &ix.info[i], int32(i)
		if in.holds(t) && f.pass(ix, in, slot) {
			top.offer(slot, 0)
		}
	}
}

// searchPublic scores the programs of the snapshot at asOf that hold every
// term of q, reading only the postings of those terms.
func (ix *Index) searchPublic(q Query, asOf time.Time, top *selection) {
	nt := len(q.Terms)
	lists := make([][]posting, nt)
	shortest := 0
	for i, term := range q.Terms {
		lists[i] = ix.postings[term]
		if len(lists[i]) == 0 {
			return // no program holds this term
		}
		if len(lists[i]) < len(lists[shortest]) {
			shortest = i
		}
	}
	t := nanos(asOf)
	n, total := ix.public.at(t)
	if n == 0 {
		return
	}
	df := make([]int, nt)
	for i, l := range lists {
		for _, ps := range l {
			if ix.info[ps.slot].holds(t) {
				df[i]++
			}
		}
	}
	idf, avg := weights(n, total, df)
	f := ix.filter(q, asOf)
	if f.none {
		return
	}
	// The shortest list gives the candidates; the others are walked
	// alongside (all are in slot order) for the other terms' frequencies.
	row := make([]float64, nt)
	at := make([]int, nt)
candidates:
	for _, ps := range lists[shortest] {
		in := &ix.info[ps.slot]
		if !in.holds(t) {
			continue
		}
		for i, l := range lists {
			if i == shortest {
				row[i] = ps.tf
				continue
			}
			at[i] += seek(l[at[i]:], ps.slot)
			if at[i] == len(l) {
				break candidates
			}
			if l[at[i]].slot != ps.slot {
				continue candidates
			}
			row[i] = l[at[i]].tf
		}
		if !f.pass(ix, in, ps.slot) {
			continue
		}
		score, _ := bm25(in.length, row, idf, avg)
		top.offer(ps.slot, score)
	}
}

// seek returns the position of the first posting in l at or after slot,
// galloping: the cost grows with the log of the distance.
func seek(l []posting, slot int32) int {
	hi := 1
	for hi < len(l) && l[hi-1].slot < slot {
		hi *= 2
	}
	lo := hi / 2
	hi = min(hi, len(l))
	return lo + find(l[lo:hi], slot)
}

// searchPool answers q over the given programs (a host's own), which are
// both the statistics' collection and the candidates.
func (ix *Index) searchPool(q Query, asOf time.Time, pool []int32, top *selection) {
	nt := len(q.Terms)
	var idf []float64
	var avg float64
	if nt > 0 && len(pool) > 0 {
		var total float64
		df := make([]int, nt)
		for _, slot := range pool {
			e := ix.docs[slot]
			total += e.length
			for i, term := range q.Terms {
				if e.tf[term] > 0 {
					df[i]++
				}
			}
		}
		idf, avg = weights(len(pool), total, df)
	}
	row := make([]float64, nt)
candidates:
	for _, slot := range pool {
		e := ix.docs[slot]
		for i, term := range q.Terms {
			if row[i] = e.tf[term]; row[i] == 0 {
				continue candidates
			}
		}
		if !matches(e, q, asOf) {
			continue
		}
		score, _ := bm25(e.length, row, idf, avg)
		top.offer(slot, score)
	}
}

// weights returns each term's inverse document frequency in a collection
// of n programs of the given total length, and their average length.
func weights(n int, total float64, df []int) (idf []float64, avg float64) {
	fn := float64(n)
	avg = total / fn
	if avg == 0 {
		avg = 1
	}
	idf = make([]float64, len(df))
	for i, d := range df {
		idf[i] = math.Log(1 + (fn-float64(d)+0.5)/(float64(d)+0.5))
	}
	return idf, avg
}

// matches applies the filters of q.
func matches(e *entry, q Query, t time.Time) bool {
	p := e.p
	switch {
	case q.Kind != "" && p.Kind != q.Kind,
		q.HostCountry != "" && p.HostCountry != q.HostCountry,
		q.Field != "" && !e.fields[q.Field],
		q.Region != "" && !strings.EqualFold(p.Region, q.Region),
		q.Open && !(visibleAt(p, t) && t.Before(p.ClosesAt)),
		q.StartsAfter != "" && p.StartDate < q.StartsAfter,
		q.Applicant != nil && !eligibility.Eligible(*q.Applicant, p.EligibilityProgram(), t):
		return false
	}
	return true
}

// bm25 scores a document of the given length from its frequencies of the
// query terms (tfs, in the order of idf); a document must hold every term.
func bm25(length float64, tfs, idf []float64, avg float64) (float64, bool) {
	var score float64
	for i, tf := range tfs {
		if tf == 0 {
			return 0, false
		}
		score += idf[i] * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*length/avg))
	}
	return score, true
}
