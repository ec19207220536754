package recommend

import (
	"sync"
	"sync/atomic"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// scratch is one goroutine's working memory for scoring a row (an applicant
// against every program) or a column (a program against every applicant).
// acc and hits are zero between uses: the scoring loop clears each cell as
// it reads it.
type scratch struct {
	acc  []uint32 // text dot products
	hits []uint16 // shared skills
	out  []uint32 // points, or noScore
	heap topK
}

func (s *scratch) size(n int) {
	if cap(s.acc) < n {
		s.acc = make([]uint32, n, n+n/4)
		s.hits = make([]uint16, n, n+n/4)
		s.out = make([]uint32, n, n+n/4)
	}
	s.acc, s.hits, s.out = s.acc[:n], s.hits[:n], s.out[:n]
}

// accumulate adds a vector's dot products and skill matches with every
// slot of the other side, walking that side's inverted indexes: work is
// proportional to postings shared, not to the size of the other side.
func (s *scratch) accumulate(terms []scoring.TermWeight, skills []int32, other *index) {
	acc, hits := s.acc, s.hits
	for _, tw := range terms {
		if int(tw.Term) >= len(other.terms) {
			continue
		}
		w := uint32(tw.Weight)
		for _, p := range other.terms[tw.Term] {
			acc[p.slot] += w * uint32(p.w)
		}
	}
	for _, sk := range skills {
		if int(sk) >= len(other.skills) {
			continue
		}
		for _, slot := range other.skills[sk] {
			hits[slot]++
		}
	}
}

// rowScores scores applicant a against every program slot.
func (st *state) rowScores(a *scoring.ApplicantFeatures, s *scratch) []uint32 {
	s.size(len(st.progs))
	s.accumulate(a.Terms(), a.SkillIDs(), &st.p.index)
	acc, hits, out := s.acc, s.hits, s.out
	for i := range st.progs {
		dot, h := acc[i], hits[i]
		acc[i], hits[i] = 0, 0
		if pts, ok := scoring.PairPoints(a, &st.progs[i], dot, uint32(h)); ok {
			out[i] = uint32(pts)
		} else {
			out[i] = noScore
		}
	}
	return out
}

// colScores scores program p against every applicant slot.
func (st *state) colScores(p *scoring.ProgramFeatures, s *scratch) []uint32 {
	s.size(len(st.apps))
	s.accumulate(p.Terms(), p.SkillIDs(), &st.a.index)
	acc, hits, out := s.acc, s.hits, s.out
	for i := range st.apps {
		dot, h := acc[i], hits[i]
		acc[i], hits[i] = 0, 0
		if pts, ok := scoring.PairPoints(&st.apps[i], p, dot, uint32(h)); ok {
			out[i] = uint32(pts)
		} else {
			out[i] = noScore
		}
	}
	return out
}

// best returns the top keep entries of a row or column of scores, ranked
// with ids, and whether that is every eligible entry.
func (s *scratch) best(out []uint32, keep int, ids []string) ([]entry, bool) {
	s.heap.reset(keep)
	for i, pts := range out {
		if pts != noScore {
			s.heap.push(entry{scoring.Points(pts), int32(i)}, ids)
		}
	}
	return s.heap.sorted(ids)
}

// recomputeApplicant rebuilds one applicant's list from scratch.
func (st *state) recomputeApplicant(slot int32, s *scratch) {
	es, complete := s.best(st.rowScores(&st.apps[slot], s), st.keep, st.p.ids)
	st.a.lists.set(slot, es, complete)
	st.recomputes++
}

// recomputeProgram rebuilds one program's list from scratch.
func (st *state) recomputeProgram(slot int32, s *scratch) {
	es, complete := s.best(st.colScores(&st.progs[slot], s), st.keep, st.a.ids)
	st.p.lists.set(slot, es, complete)
	st.recomputes++
}

// heapSet is a topK per program, flat, for one build worker.
type heapSet struct {
	keep int
	buf  []entry
	n    []int32
	seen []int32
	// floor is the root score of a full heap (0 while it fills): any
	// score below it is rejected without touching the heap.
	floor []uint32
}

func newHeapSet(slots, keep int) *heapSet {
	return &heapSet{
		keep: keep, buf: make([]entry, slots*keep),
		n: make([]int32, slots), seen: make([]int32, slots), floor: make([]uint32, slots),
	}
}

// push offers e to a slot's heap; like topK.push it rejects the common case
// inline.
func (h *heapSet) push(slot int, e entry, ids []string) {
	h.seen[slot]++
	if uint32(e.pts) < h.floor[slot] {
		return
	}
	h.insert(slot, e, ids)
}

func (h *heapSet) insert(slot int, e entry, ids []string) {
	o := slot * h.keep
	n := int(h.n[slot])
	if n < h.keep {
		es := h.buf[o : o+n+1]
		es[n] = e
		for i := n; i > 0; {
			p := (i - 1) / 2
			if !better(es[p], es[i], ids) {
				break
			}
			es[i], es[p] = es[p], es[i]
			i = p
		}
		h.n[slot]++
		if n+1 == h.keep {
			h.floor[slot] = uint32(es[0].pts)
		}
		return
	}
	es := h.buf[o : o+n]
	if !better(e, es[0], ids) {
		return
	}
	es[0] = e
	siftDown(es, ids)
	h.floor[slot] = uint32(es[0].pts)
}

// group is the part of the program side an applicant group (see
// scoring.ApplicantFeatures.Group) can be eligible for: the program slots
// whose country, kind and degree rules admit it, and the program index cut
// down to those slots.
type group struct {
	slots []int32
	index index
}

// groups splits the program side by applicant group. Most pairs fail one of
// the country, kind or degree rules, and a few dozen groups cover everyone,
// so a full build skips those pairs wholesale, in scoring and in walking
// the inverted index alike.
func (st *state) groups() map[uint32]*group {
	out := map[uint32]*group{}
	admitted := make([]bool, len(st.progs))
	for ai := range st.apps {
		key := st.apps[ai].Group()
		if _, ok := out[key]; ok || st.a.ids[ai] == "" {
			continue
		}
		g := &group{slots: []int32{}}
		for pi := range st.progs {
			admitted[pi] = st.progs[pi].Admits(key)
			if admitted[pi] {
				g.slots = append(g.slots, int32(pi))
			}
		}
		g.index.terms = make([][]posting, len(st.p.terms))
		for t, ps := range st.p.terms {
			for _, p := range ps {
				if admitted[p.slot] {
					g.index.terms[t] = append(g.index.terms[t], p)
				}
			}
		}
		g.index.skills = make([][]int32, len(st.p.skills))
		for sk, ss := range st.p.skills {
			for _, slot := range ss {
				if admitted[slot] {
					g.index.skills[sk] = append(g.index.skills[sk], slot)
				}
			}
		}
		out[key] = g
	}
	return out
}

// buildLists computes every list from scratch: each worker takes chunks of
// applicants, scores each against the programs its group admits (a row),
// keeps the row's top entries as the applicant's list, and offers every
// eligible pair to its own per-program heaps; the per-program heaps of all
// workers are merged at the end. No locks on the hot path: workers write
// disjoint applicant slots.
func (st *state) buildLists(workers int) {
	nA, nP := len(st.apps), len(st.progs)
	st.a.lists.reset(nA)
	st.p.lists.reset(nP)
	if workers < 1 {
		workers = 1
	}
	groups := st.groups()
	const chunk = 64
	var next atomic.Int64
	heaps := make([]*heapSet, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var s scratch
			s.size(nP)
			h := newHeapSet(nP, st.keep)
			heaps[w] = h
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= nA {
					return
				}
				for ai := start; ai < min(start+chunk, nA); ai++ {
					if st.a.ids[ai] == "" {
						continue
					}
					a := &st.apps[ai]
					g := groups[a.Group()]
					s.accumulate(a.Terms(), a.SkillIDs(), &g.index)
					s.heap.reset(st.keep)
					for _, pi := range g.slots {
						pts, ok := scoring.PairPoints(a, &st.progs[pi], s.acc[pi], uint32(s.hits[pi]))
						s.acc[pi], s.hits[pi] = 0, 0
						if !ok {
							continue
						}
						s.heap.push(entry{pts, pi}, st.p.ids)
						h.push(int(pi), entry{pts, int32(ai)}, st.a.ids)
					}
					es, complete := s.heap.sorted(st.p.ids)
					st.a.lists.set(int32(ai), es, complete)
				}
			}
		})
	}
	wg.Wait()

	merged := make([]entry, 0, workers*st.keep)
	for pi := range nP {
		merged = merged[:0]
		seen := 0
		for _, h := range heaps {
			o := pi * h.keep
			merged = append(merged, h.buf[o:o+int(h.n[pi])]...)
			seen += int(h.seen[pi])
		}
		sortEntries(merged, st.a.ids)
		st.p.lists.set(int32(pi), merged[:min(len(merged), st.keep)], seen <= st.keep)
		st.eligiblePairs += int64(seen)
	}
}
