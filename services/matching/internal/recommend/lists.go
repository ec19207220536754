package recommend

import (
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// entry is one candidate in a ranked list: its score and its slot on the
// other side.
type entry struct {
	pts  scoring.Points
	slot int32
}

// noScore marks an ineligible pair in a row or column of scores. Real
// scores never reach it (MaxPoints < 2^26).
const noScore = ^uint32(0)

// better is the one ranking order everywhere: higher score first, ties by
// id, so a list does not depend on the order entities were loaded in.
func better(x, y entry, ids []string) bool {
	if x.pts != y.pts {
		return x.pts > y.pts
	}
	return ids[x.slot] < ids[y.slot]
}

// lists holds one ranked list per slot in a flat buffer, keep entries per
// slot, best first.
//
// Invariant: a slot's entries are exactly the best len(entries) candidates
// of all its eligible candidates, in order; complete says they are all of
// them. Returned results are the first k entries, which is correct while
// len ≥ k or complete. An update may push a list below k without being
// complete (a candidate left, and who comes next is unknown); the caller
// then recomputes that list from scratch. Keeping more than k entries (keep)
// makes that rare.
type lists struct {
	keep     int
	buf      []entry
	n        []int32
	complete []bool
}

func newLists(slots, keep int) lists {
	l := lists{keep: keep}
	l.grow(slots)
	return l
}

// grow makes room for slots slots; new slots are empty and complete.
func (l *lists) grow(slots int) {
	add := slots - len(l.n)
	if add <= 0 {
		return
	}
	l.buf = append(l.buf, make([]entry, add*l.keep)...)
	l.n = append(l.n, make([]int32, add)...)
	for range add {
		l.complete = append(l.complete, true)
	}
}

// reserve gives an empty lists room for slots slots without regrowing.
func (l *lists) reserve(slots int) {
	l.buf = make([]entry, 0, slots*l.keep)
	l.n = make([]int32, 0, slots)
	l.complete = make([]bool, 0, slots)
}

// reset empties every list of exactly slots slots, reusing the buffers
// when they have that size already.
func (l *lists) reset(slots int) {
	if len(l.n) != slots {
		*l = newLists(slots, l.keep)
		return
	}
	clear(l.n)
	for i := range l.complete {
		l.complete[i] = true
	}
}

func (l *lists) at(slot int32) []entry {
	o := int(slot) * l.keep
	return l.buf[o : o+int(l.n[slot])]
}

// set replaces a slot's list with es (at most keep entries, best first).
func (l *lists) set(slot int32, es []entry, complete bool) {
	o := int(slot) * l.keep
	l.n[slot] = int32(copy(l.buf[o:o+l.keep], es))
	l.complete[slot] = complete
}

// remove drops candidate c from a slot's list, reporting whether it was
// there. What is left is still the exact top of the remaining candidates;
// only its length shrank.
func (l *lists) remove(slot, c int32) bool {
	es := l.at(slot)
	for i, e := range es {
		if e.slot == c {
			copy(es[i:], es[i+1:])
			l.n[slot]--
			return true
		}
	}
	return false
}

// removeEverywhere drops candidate c from the lists of slots 0..n-1 and
// returns the slots it left stale (see stale), to be recomputed.
func (l *lists) removeEverywhere(n int, c int32, k int) []int32 {
	var stale []int32
	for i := range n {
		slot := int32(i)
		if l.remove(slot, c) && l.stale(slot, k) {
			stale = append(stale, slot)
		}
	}
	return stale
}

// offer adds candidate e (not in the list) when that keeps the invariant:
// always into a complete list, and into an incomplete one only when e ranks
// above its last entry (otherwise unseen candidates may rank between them,
// and e stays out, below everything listed). A full list drops its last
// entry and stops being complete.
func (l *lists) offer(slot int32, e entry, ids []string) {
	o := int(slot) * l.keep
	n := int(l.n[slot])
	es := l.buf[o : o+n]
	if !l.complete[slot] && (n == 0 || !better(e, es[n-1], ids)) {
		return
	}
	pos, _ := slices.BinarySearchFunc(es, e, func(x, t entry) int {
		if better(x, t, ids) {
			return -1
		}
		return 1
	})
	if n == l.keep {
		l.complete[slot] = false
		if pos == n {
			return // e ranks below a full list
		}
		n-- // drop the last entry to make room
	}
	copy(l.buf[o+pos+1:o+n+1], l.buf[o+pos:o+n])
	l.buf[o+pos] = e
	l.n[slot] = int32(n + 1)
}

// stale reports whether a slot's list can no longer answer a top-k query.
func (l *lists) stale(slot int32, k int) bool {
	return !l.complete[slot] && int(l.n[slot]) < k
}

// topK keeps the best keep entries offered, in a min-heap whose root is the
// worst kept entry, so most offers are rejected by one comparison.
type topK struct {
	es   []entry
	keep int
	seen int // entries offered, kept or not
}

func (h *topK) reset(keep int) {
	h.es, h.keep, h.seen = h.es[:0], keep, 0
}

// worse orders the heap: the root is the entry every other beats.
func (h *topK) worse(i, j int, ids []string) bool { return better(h.es[j], h.es[i], ids) }

// push offers e. The common case, a full heap and a worse entry, is decided
// here, small enough to inline into the scoring loop.
func (h *topK) push(e entry, ids []string) {
	h.seen++
	if len(h.es) == h.keep && e.pts < h.es[0].pts {
		return
	}
	h.insert(e, ids)
}

func (h *topK) insert(e entry, ids []string) {
	if len(h.es) < h.keep {
		h.es = append(h.es, e)
		for i := len(h.es) - 1; i > 0; {
			p := (i - 1) / 2
			if !h.worse(i, p, ids) {
				break
			}
			h.es[i], h.es[p] = h.es[p], h.es[i]
			i = p
		}
		return
	}
	if !better(e, h.es[0], ids) {
		return
	}
	h.es[0] = e
	siftDown(h.es, ids)
}

func siftDown(es []entry, ids []string) {
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(es) {
			return
		}
		m := l
		if r := l + 1; r < len(es) && better(es[l], es[r], ids) {
			m = r // the right child is worse
		}
		if !better(es[i], es[m], ids) {
			return
		}
		es[i], es[m] = es[m], es[i]
		i = m
	}
}

// sorted returns the kept entries best first and whether they are every
// entry offered.
func (h *topK) sorted(ids []string) ([]entry, bool) {
	sortEntries(h.es, ids)
	return h.es, h.seen <= h.keep
}

func sortEntries(es []entry, ids []string) {
	slices.SortFunc(es, func(x, y entry) int {
		if better(x, y, ids) {
			return -1
		}
		if better(y, x, ids) {
			return 1
		}
		return 0
	})
}
