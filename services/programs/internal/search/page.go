package search

import (
	"cmp"
	"encoding/binary"
	"slices"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
)

// selection keeps the best hits offered, enough for the requested page,
// and counts them all. Until it holds as many as the page needs it simply
// collects; then it is a heap whose root is the worst hit kept, which each
// better hit replaces. A hit is a slot with its score; the program is
// looked at only to break a tie or to compare deadlines.
type selection struct {
	docs       []*entry
	keys       []sortKeys
	order      string
	from, size int
	keep       int
	hits       []scored
	total      int
}

type scored struct {
	slot  int32
	score float64
}

func newSelection(q Query, docs []*entry, keys []sortKeys) *selection {
	order := q.Sort
	if order != SortDeadline && order != SortNewest && order != SortStart {
		order = SortRelevance
	}
	s := &selection{docs: docs, keys: keys, order: order, from: (q.Page - 1) * q.PageSize, size: q.PageSize}
	if s.from >= 0 && s.size > 0 {
		s.keep = s.from + s.size
	}
	return s
}

// compare orders by relevance (score, highest first), by deadline or start
// date (earliest first) or by publication (newest first); ties, and
// relevance without free text, fall back to the program id, so the order
// is total and the same on every call.
func (s *selection) compare(a, b scored) int {
	ka, kb := &s.keys[a.slot], &s.keys[b.slot]
	pa, pb := s.docs[a.slot].p, s.docs[b.slot].p
	switch s.order {
	case SortDeadline:
		c, ok := ka.deadline.compare(kb.deadline)
		if !ok {
			c = cmp.Compare(pa.ApplicationDeadline, pb.ApplicationDeadline)
		}
		if c != 0 {
			return c
		}
	case SortNewest, SortStart:
		if c := orderOf(s.order, pa, pb); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
	}
	c, ok := ka.id.compare(kb.id)
	if !ok {
		c = cmp.Compare(pa.ID, pb.ID)
	}
	return c
}

// orderOf compares two programs by a sort order other than relevance,
// before the id breaks the tie.
func orderOf(order string, a, b *domain.Program) int {
	switch order {
	case SortDeadline:
		return cmp.Compare(a.ApplicationDeadline, b.ApplicationDeadline)
	case SortNewest:
		return b.PublishedAt.Compare(a.PublishedAt)
	case SortStart:
		return cmp.Compare(a.StartDate, b.StartDate)
	}
	return 0
}

// sortKeys are the strings hits are ordered by, as keys.
type sortKeys struct{ id, deadline key }

func sortKeysOf(e *entry) sortKeys {
	return sortKeys{id: keyOf(e.p.ID), deadline: keyOf(e.p.ApplicationDeadline)}
}

// key holds the first 16 bytes of a string and its length, which order
// most strings (every deadline, and ids that differ early) without
// following a pointer.
type key struct {
	hi, lo uint64
	n      int
}

func keyOf(s string) key {
	var b [16]byte
	copy(b[:], s)
	return key{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:]), n: len(s)}
}

// compare orders the strings a and b are keys of, as cmp.Compare would;
// it reports false when it cannot tell: both are longer than 16 bytes and
// those bytes are the same.
func (a key) compare(b key) (int, bool) {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c, true
	}
	if c := cmp.Compare(a.lo, b.lo); c != 0 {
		return c, true
	}
	// Same first 16 bytes, counting missing ones as zeros: a string of
	// at most 16 bytes is then a prefix of the other.
	if a.n <= 16 || b.n <= 16 {
		return cmp.Compare(a.n, b.n), true
	}
	return 0, false
}

func (s *selection) offer(slot int32, score float64) {
	s.total++
	h := scored{slot: slot, score: score}
	switch {
	case len(s.hits) < s.keep:
		s.hits = append(s.hits, h)
		if len(s.hits) == s.keep {
			for i := s.keep/2 - 1; i >= 0; i-- {
				s.down(i)
			}
		}
	case s.keep == 0, s.order == SortRelevance && score < s.hits[0].score:
		// Worse than every hit kept, without looking at the program.
	case s.compare(h, s.hits[0]) < 0:
		s.hits[0] = h
		s.down(0)
	}
}

// down restores the heap below i: every hit sorts after its children.
func (s *selection) down(i int) {
	h := s.hits
	for {
		worst := i
		if l := 2*i + 1; l < len(h) && s.compare(h[l], h[worst]) > 0 {
			worst = l
		}
		if r := 2*i + 2; r < len(h) && s.compare(h[r], h[worst]) > 0 {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}

// result returns the page.
func (s *selection) result(asOf time.Time) Result {
	res := Result{Total: s.total, AsOf: asOf, Hits: []Hit{}}
	if s.keep == 0 || s.from >= len(s.hits) {
		return res
	}
	slices.SortFunc(s.hits, s.compare)
	for _, h := range s.hits[s.from:min(s.from+s.size, len(s.hits))] {
		res.Hits = append(res.Hits, Hit{Program: s.docs[h.slot].p, Score: h.score})
	}
	return res
}
