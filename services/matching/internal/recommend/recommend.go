// Package recommend keeps, for every applicant, the best programs for them
// and, for every program, the best applicants, and keeps both up to date as
// single profiles and programs change (DESIGN.md §5: "Recommendations update
// when a profile or program event arrives, without recomputing everything").
//
// A full build scores every (applicant, program) pair once, in parallel. An
// update of one profile re-scores that profile against every program (one
// row), replaces its own list, and fixes the one entry it may hold in each
// program's list; an update of one program does the same with a column.
// Lists hold a few more entries than are returned (Config.Keep), so a
// candidate leaving a full list can be replaced without a rescan; when a
// list does run short, only that list is recomputed.
//
// Scores come from package scoring. Its IDF statistics are fixed when the
// recommender is built (see scoring.Model), so updates never shift scores of
// unrelated pairs; call Refit now and then (nightly, say) to refresh them.
//
// Reads are safe from any number of goroutines, concurrently with one
// writer at a time (writes are serialized). Reasons are computed when a list
// is read, for the entries returned only.
package recommend

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
	"github.com/talentbridge/platform/shared/explain"
)

// Config tunes a Recommender. Zero values get defaults.
type Config struct {
	// K is how many results a list returns (default 20).
	K int
	// Keep is how many entries a list holds, at least K (default 2K). The
	// spare entries absorb removals without a recompute.
	Keep int
	// Workers is how many goroutines a full build uses (default
	// GOMAXPROCS).
	Workers int
	// Now is the clock deadlines are read against (default time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.K <= 0 {
		c.K = 20
	}
	if c.Keep < c.K {
		c.Keep = 2 * c.K
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Recommendation is one ranked result.
type Recommendation struct {
	// ID is the program's id in an applicant's list and the applicant's in
	// a program's.
	ID      string           `json:"id"`
	Score   float64          `json:"score"`
	Reasons []explain.Reason `json:"reasons"`
}

// ErrNoID is returned for a profile or program without an id.
var ErrNoID = errors.New("recommend: empty id")

// Recommender holds the ranked lists. The zero value is not usable; call New.
type Recommender struct {
	cfg Config

	wmu     sync.Mutex // serializes writers; held for a whole update
	scratch scratch    // the writer's working memory, guarded by wmu

	mu sync.RWMutex // guards st against readers while a writer changes it
	st *state
}

// New returns an empty recommender with no IDF statistics; Build gives it
// data and statistics at once.
func New(cfg Config) *Recommender {
	cfg = cfg.withDefaults()
	return &Recommender{cfg: cfg, st: newState(scoring.NewModel(), cfg.K, cfg.Keep)}
}

// Build replaces everything with the given applicants and programs: it fits
// IDF statistics on them, compiles them and computes every list. Readers see
// the old lists until the new ones are complete. When an id appears twice,
// the later entry wins; an empty id fails the whole build, changing nothing.
func (r *Recommender) Build(applicants []scoring.Applicant, programs []scoring.Program) error {
	for _, a := range applicants {
		if a.ID == "" {
			return ErrNoID
		}
	}
	for _, p := range programs {
		if p.ID == "" {
			return ErrNoID
		}
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.build(applicants, programs)
	return nil
}

func (r *Recommender) build(applicants []scoring.Applicant, programs []scoring.Program) {
	applicants = lastByID(applicants, func(a scoring.Applicant) string { return a.ID })
	programs = lastByID(programs, func(p scoring.Program) string { return p.ID })
	st := newState(scoring.Fit(applicants, programs), r.cfg.K, r.cfg.Keep)
	st.reserve(len(applicants), len(programs))
	now := r.cfg.Now()
	apps := make([]scoring.ApplicantFeatures, len(applicants))
	progs := make([]scoring.ProgramFeatures, len(programs))
	parallel(r.cfg.Workers, len(apps), func(i int) { apps[i] = st.model.CompileApplicant(applicants[i]) })
	parallel(r.cfg.Workers, len(progs), func(i int) { progs[i] = st.model.CompileProgram(programs[i], now) })
	for i, f := range apps {
		st.putApplicant(applicants[i].ID, f)
	}
	for i, f := range progs {
		st.putProgram(programs[i].ID, f)
	}
	st.buildLists(r.cfg.Workers)
	r.mu.Lock()
	r.st = st
	r.mu.Unlock()
}

// parallel calls fn(i) for every i in [0, n) on workers goroutines.
func parallel(workers, n int, fn func(i int)) {
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
}

func lastByID[T any](xs []T, id func(T) string) []T {
	at := make(map[string]int, len(xs))
	for i, x := range xs {
		at[id(x)] = i
	}
	if len(at) == len(xs) {
		return xs
	}
	out := make([]T, 0, len(at))
	for i, x := range xs {
		if at[id(x)] == i {
			out = append(out, x)
		}
	}
	return out
}

// Refit rebuilds from the current applicants and programs with fresh IDF
// statistics.
func (r *Recommender) Refit() {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	st := r.st
	var apps []scoring.Applicant
	for i, id := range st.a.ids {
		if id != "" {
			apps = append(apps, *st.apps[i].Source())
		}
	}
	var progs []scoring.Program
	for i, id := range st.p.ids {
		if id != "" {
			progs = append(progs, *st.progs[i].Source())
		}
	}
	r.build(apps, progs)
}

// Len returns how many applicants and programs the recommender holds.
func (r *Recommender) Len() (applicants, programs int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.st.a.slots), len(r.st.p.slots)
}

// UpsertApplicant adds or replaces one applicant's profile and updates every
// list it affects.
func (r *Recommender) UpsertApplicant(a scoring.Applicant) error {
	if a.ID == "" {
		return ErrNoID
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	st := r.st
	f := st.model.CompileApplicant(a)
	// Score the row before taking the write lock: only writers change st,
	// and wmu keeps other writers out, so readers can go on meanwhile.
	out := st.rowScores(&f, &r.scratch)
	own, complete := r.scratch.best(out, st.keep, st.p.ids)

	r.mu.Lock()
	defer r.mu.Unlock()
	_, known := st.a.slots[a.ID]
	slot := st.putApplicant(a.ID, f)
	st.a.lists.set(slot, own, complete)
	if !known {
		st.offerNew(&st.p.lists, slot, out, st.a.ids)
		return nil
	}
	var stale []int32
	for pi := range st.progs {
		pslot := int32(pi)
		st.p.lists.remove(pslot, slot)
		if out[pi] != noScore {
			st.p.lists.offer(pslot, entry{scoring.Points(out[pi]), slot}, st.a.ids)
		}
		if st.p.lists.stale(pslot, st.k) {
			stale = append(stale, pslot)
		}
	}
	for _, pslot := range stale {
		st.recomputeProgram(pslot, &r.scratch)
	}
	return nil
}

// offerNew offers a newly added candidate, with its scores out against
// every slot of the other side, to the lists of the slots it is eligible
// for.
func (st *state) offerNew(l *lists, candidate int32, out []uint32, ids []string) {
	for i, pts := range out {
		if pts != noScore {
			l.offer(int32(i), entry{scoring.Points(pts), candidate}, ids)
		}
	}
}

// RemoveApplicant removes a profile (erased) from every list. It reports
// whether the applicant was known.
func (r *Recommender) RemoveApplicant(id string) bool {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.st
	slot, ok := st.a.slots[id]
	if !ok {
		return false
	}
	st.dropApplicant(slot)
	for _, pslot := range st.p.lists.removeEverywhere(len(st.progs), slot, st.k) {
		st.recomputeProgram(pslot, &r.scratch)
	}
	return true
}

// UpsertProgram adds or replaces one program and updates every list it
// affects. A program whose deadline has passed, or whose rules cannot be
// read, is kept but takes no one.
func (r *Recommender) UpsertProgram(p scoring.Program) error {
	if p.ID == "" {
		return ErrNoID
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.upsertProgram(p, r.cfg.Now())
	return nil
}

func (r *Recommender) upsertProgram(p scoring.Program, now time.Time) {
	st := r.st
	f := st.model.CompileProgram(p, now)
	out := st.colScores(&f, &r.scratch)
	own, complete := r.scratch.best(out, st.keep, st.a.ids)

	r.mu.Lock()
	defer r.mu.Unlock()
	_, known := st.p.slots[p.ID]
	slot := st.putProgram(p.ID, f)
	st.p.lists.set(slot, own, complete)
	if !known {
		// A publish: no applicant list can hold the new slot (a freed
		// slot left every list when it was freed), so there is nothing to
		// take out, and lists that only gain entries never run short.
		// Only the applicants eligible for it are touched.
		st.offerNew(&st.a.lists, slot, out, st.p.ids)
		return
	}
	var stale []int32
	for ai := range st.apps {
		aslot := int32(ai)
		st.a.lists.remove(aslot, slot)
		if out[ai] != noScore {
			st.a.lists.offer(aslot, entry{scoring.Points(out[ai]), slot}, st.p.ids)
		}
		if st.a.lists.stale(aslot, st.k) {
			stale = append(stale, aslot)
		}
	}
	for _, aslot := range stale {
		st.recomputeApplicant(aslot, &r.scratch)
	}
}

// RemoveProgram removes a program (closed or deleted) from every list. It
// reports whether the program was known.
func (r *Recommender) RemoveProgram(id string) bool {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.st
	slot, ok := st.p.slots[id]
	if !ok {
		return false
	}
	st.dropProgram(slot)
	for _, aslot := range st.a.lists.removeEverywhere(len(st.apps), slot, st.k) {
		st.recomputeApplicant(aslot, &r.scratch)
	}
	return true
}

// CloseExpired takes programs whose application deadline has passed out of
// every list, as if each were updated now, and returns how many it closed.
// Reads already hide such programs; this frees their places for the next
// ones. Call it periodically (hourly, say).
func (r *Recommender) CloseExpired() int {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	now := r.cfg.Now()
	var expired []scoring.Program
	for i, id := range r.st.p.ids {
		f := &r.st.progs[i]
		if id != "" && !f.Open(now) && len(r.st.p.lists.at(int32(i))) > 0 {
			expired = append(expired, *f.Source())
		}
	}
	for _, p := range expired {
		r.upsertProgram(p, now)
	}
	return len(expired)
}

// ProgramsFor returns the best programs for an applicant, best first, with
// reasons. ok is false when the applicant is unknown.
func (r *Recommender) ProgramsFor(applicantID string) (recs []Recommendation, ok bool) {
	now := r.cfg.Now()
	r.mu.RLock()
	st := r.st
	slot, ok := st.a.slots[applicantID]
	if !ok {
		r.mu.RUnlock()
		return nil, false
	}
	// Copy what explaining needs, then let writers in: features are values
	// whose slices are never changed in place.
	a := st.apps[slot]
	type item struct {
		id  string
		pts scoring.Points
		f   scoring.ProgramFeatures
	}
	var items []item
	for _, e := range st.a.lists.at(slot) {
		if len(items) == st.k {
			break
		}
		if f := st.progs[e.slot]; f.Open(now) {
			items = append(items, item{st.p.ids[e.slot], e.pts, f})
		}
	}
	r.mu.RUnlock()

	recs = make([]Recommendation, len(items))
	for i, it := range items {
		ex := st.model.Explain(&a, &it.f, now)
		recs[i] = Recommendation{ID: it.id, Score: it.pts.Float(), Reasons: ex.Reasons}
	}
	return recs, true
}

// CandidatesFor returns the best eligible applicants for a program, best
// first, with reasons; none once applications have closed. ok is false
// when the program is unknown.
func (r *Recommender) CandidatesFor(programID string) (recs []Recommendation, ok bool) {
	now := r.cfg.Now()
	r.mu.RLock()
	st := r.st
	slot, ok := st.p.slots[programID]
	if !ok {
		r.mu.RUnlock()
		return nil, false
	}
	p := st.progs[slot]
	type item struct {
		id  string
		pts scoring.Points
		f   scoring.ApplicantFeatures
	}
	var items []item
	if p.Open(now) {
		for _, e := range st.p.lists.at(slot) {
			if len(items) == st.k {
				break
			}
			items = append(items, item{st.a.ids[e.slot], e.pts, st.apps[e.slot]})
		}
	}
	r.mu.RUnlock()

	recs = make([]Recommendation, len(items))
	for i, it := range items {
		ex := st.model.Explain(&it.f, &p, now)
		recs[i] = Recommendation{ID: it.id, Score: it.pts.Float(), Reasons: ex.Reasons}
	}
	return recs, true
}
