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
// replica may differ by what was published in those few seconds.
package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
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
	docs     map[string]*entry
	inflight map[uint64]time.Time
	next     uint64
}

type entry struct {
	p      *domain.Program
	tf     map[string]float64
	length float64
	// fields holds the program's field codes and their major fields.
	fields map[string]bool
}

// New returns an empty index that reads the time from now (the clock the
// service stamps programs with).
func New(now func() time.Time) *Index {
	return &Index{now: now, docs: map[string]*entry{}, inflight: map[uint64]time.Time{}}
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
	old, ok := ix.docs[p.ID]
	ix.mu.RUnlock()
	if ok && old.p.Version >= p.Version {
		return false
	}
	e := build(p)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.docs[p.ID]; ok && old.p.Version >= p.Version {
		return false
	}
	ix.docs[p.ID] = e
	return true
}

// Get returns the program held under id.
func (ix *Index) Get(id string) (*domain.Program, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e, ok := ix.docs[id]
	if !ok {
		return nil, false
	}
	return e.p, true
}

// Len returns the number of programs held.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.docs)
}

func build(p *domain.Program) *entry {
	cp := *p
	e := &entry{p: &cp, tf: map[string]float64{}, fields: map[string]bool{}}
	add := func(w float64, texts ...string) {
		for _, s := range texts {
			eachToken(s, func(t string) {
				e.tf[t] += w
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
func (ix *Index) Search(q Query, viewer domain.Actor) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	safe := ix.snapshotLocked()
	asOf := q.AsOf
	if asOf.IsZero() || asOf.After(safe) {
		asOf = safe
	}

	// The documents the statistics are taken over: the snapshot (or the
	// host's own programs), before any filter.
	var pool []*entry
	for _, e := range ix.docs {
		if q.Mine {
			if viewer.Role == domain.RoleHost && viewer.ID != "" && e.p.HostID == viewer.ID {
				pool = append(pool, e)
			}
		} else if visibleAt(e.p, asOf) {
			pool = append(pool, e)
		}
	}

	// Each query term's frequency in each document of the pool is looked
	// up once, into tfs (a row of len(q.Terms) per document), and serves
	// both the document frequencies and the scores: the map lookups are
	// most of a search's time over a large catalogue.
	nt := len(q.Terms)
	var idf, tfs []float64
	var avg float64
	if nt > 0 && len(pool) > 0 {
		n := float64(len(pool))
		var total float64
		tfs = make([]float64, len(pool)*nt)
		df := make([]int, nt)
		for k, e := range pool {
			total += e.length
			row := tfs[k*nt : (k+1)*nt]
			for i, t := range q.Terms {
				if tf := e.tf[t]; tf > 0 {
					row[i] = tf
					df[i]++
				}
			}
		}
		avg = total / n
		if avg == 0 {
			avg = 1
		}
		idf = make([]float64, nt)
		for i := range q.Terms {
			idf[i] = math.Log(1 + (n-float64(df[i])+0.5)/(float64(df[i])+0.5))
		}
	}

	hits := make([]Hit, 0, len(pool))
	for k, e := range pool {
		if !matches(e, q, asOf) {
			continue
		}
		var row []float64
		if tfs != nil {
			row = tfs[k*nt : (k+1)*nt]
		}
		score, ok := bm25(e, row, idf, avg)
		if !ok {
			continue
		}
		hits = append(hits, Hit{Program: e.p, Score: score})
	}
	sortHits(hits, q.Sort)

	res := Result{Total: len(hits), AsOf: asOf}
	from := (q.Page - 1) * q.PageSize
	if from < len(hits) {
		res.Hits = hits[from:min(from+q.PageSize, len(hits))]
	} else {
		res.Hits = []Hit{}
	}
	return res
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
		q.StartsAfter != "" && p.StartDate < q.StartsAfter:
		return false
	}
	return true
}

// bm25 scores e from its frequencies of the query terms (tfs, in the
// order of idf); a document must hold every term.
func bm25(e *entry, tfs, idf []float64, avg float64) (float64, bool) {
	var score float64
	for i, tf := range tfs {
		if tf == 0 {
			return 0, false
		}
		score += idf[i] * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*e.length/avg))
	}
	return score, true
}

// sortHits orders by relevance (score, highest first) or by deadline
// (earliest first); ties, and relevance without free text, fall back to the
// program id, so the order is total and the same on every call.
func sortHits(hits []Hit, by string) {
	slices.SortFunc(hits, func(a, b Hit) int {
		if by == SortDeadline {
			if c := cmp.Compare(a.Program.ApplicationDeadline, b.Program.ApplicationDeadline); c != 0 {
				return c
			}
		} else if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Program.ID, b.Program.ID)
	})
}
