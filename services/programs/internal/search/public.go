package search

import (
	"math"
	"slices"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
)

// span is when a program is in the public catalogue: from its publication
// up to, not including, its closing, in Unix nanoseconds.
type span struct{ from, to int64 }

// never is the span of a program the public has never seen.
var never = span{from: math.MaxInt64, to: math.MinInt64}

func spanOf(p *domain.Program) span {
	if p.Status == domain.StatusDraft || p.PublishedAt.IsZero() {
		return never
	}
	s := span{from: nanos(p.PublishedAt), to: math.MaxInt64}
	if !p.ClosedAt.IsZero() {
		s.to = nanos(p.ClosedAt)
	}
	return s
}

// holds reports whether the program is public at t; as visibleAt.
func (s span) holds(t int64) bool { return s.from <= t && t < s.to }

// Unix nanoseconds cover the years 1678 to 2262; times outside (no
// program's, only a very old asOf) are clamped just inside, which keeps
// their order with every program's times.
var (
	earliest = time.Unix(0, math.MinInt64+1)
	latest   = time.Unix(0, math.MaxInt64-1)
)

func nanos(t time.Time) int64 {
	switch {
	case t.Before(earliest):
		return math.MinInt64 + 1
	case t.After(latest):
		return math.MaxInt64 - 1
	}
	return t.UnixNano()
}

// history gives the number of programs in the public catalogue at any
// instant and their total length, from the changes to it: a program adds
// itself when it is published and takes itself away when it closes. The
// count at t is the sum of the changes at or before t.
//
// Changes are kept sorted, one per instant, with running sums for a binary
// search; new ones wait in a short unsorted list until enough gather to be
// merged in. Replacing a program adds the opposite of its old changes,
// which cancel out at the merge. Lengths are whole numbers (the term
// weights are), so their sums are exact in any order.
type history struct {
	sorted []change
	// sumN[i] and sumLen[i] add up sorted[:i+1].
	sumN   []int
	sumLen []float64
	recent []change
}

type change struct {
	at     int64
	n      int
	length float64
}

// maxRecent bounds the unsorted changes each count reads.
const maxRecent = 256

// add records a program of the given span and length joining the public
// catalogue (sign 1) or leaving the index (sign -1, when it is replaced).
func (h *history) add(s span, length float64, sign int) {
	if s == never {
		return
	}
	h.recent = append(h.recent, change{at: s.from, n: sign, length: float64(sign) * length})
	if s.to != math.MaxInt64 {
		// A program closed before it was published is never public: it
		// leaves when it arrives.
		h.recent = append(h.recent, change{at: max(s.to, s.from), n: -sign, length: -float64(sign) * length})
	}
	if len(h.recent) > maxRecent {
		h.merge()
	}
}

// at returns the number of programs public at t and their total length.
func (h *history) at(t int64) (int, float64) {
	var n int
	var length float64
	if i, _ := slices.BinarySearchFunc(h.sorted, t, func(c change, t int64) int {
		if c.at <= t {
			return -1
		}
		return 1
	}); i > 0 {
		n, length = h.sumN[i-1], h.sumLen[i-1]
	}
	for _, c := range h.recent {
		if c.at <= t {
			n += c.n
			length += c.length
		}
	}
	return n, length
}

// merge sorts the recent changes into the sorted ones, one per instant,
// dropping instants where they cancel out.
func (h *history) merge() {
	slices.SortFunc(h.recent, func(a, b change) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	out := make([]change, 0, len(h.sorted)+len(h.recent))
	old, add := h.sorted, h.recent
	for len(old) > 0 || len(add) > 0 {
		var c change
		if len(add) == 0 || (len(old) > 0 && old[0].at <= add[0].at) {
			c, old = old[0], old[1:]
		} else {
			c, add = add[0], add[1:]
		}
		if k := len(out) - 1; k >= 0 && out[k].at == c.at {
			out[k].n += c.n
			out[k].length += c.length
			if out[k].n == 0 && out[k].length == 0 {
				out = out[:k]
			}
			continue
		}
		out = append(out, c)
	}
	h.sorted, h.recent = out, h.recent[:0]
	h.sumN = make([]int, len(out))
	h.sumLen = make([]float64, len(out))
	var n int
	var length float64
	for i, c := range out {
		n += c.n
		length += c.length
		h.sumN[i], h.sumLen[i] = n, length
	}
}
