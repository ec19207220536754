package engine

import (
	"fmt"
	"slices"
)

// Side says whose optimal stable matching Solve returns; that side proposes.
type Side int

const (
	// ApplicantOptimal makes applicants propose: every applicant does at least as well as
	// in any other stable matching. This is what rounds use.
	ApplicantOptimal Side = iota
	// ProgramOptimal makes programs propose: every program does at least as well as in any
	// other stable matching. Useful for what-if studies of how much the choice matters.
	ProgramOptimal
)

var sides = enum[Side]{"Side", []string{ApplicantOptimal: "applicants", ProgramOptimal: "programs"}}

// String names the side as matchsolve's --optimal flag does.
func (s Side) String() string { return sides.name(s) }

// ParseSide reads a side's name back ("applicants" or "programs").
func ParseSide(name string) (Side, bool) { return sides.parse(name) }

// enum names the values 0, 1, … of an enumeration type T.
type enum[T ~int] struct {
	typ   string
	names []string
}

// name is v's name, or typ(v) for a value outside the enumeration.
func (e enum[T]) name(v T) string {
	if v >= 0 && int(v) < len(e.names) {
		return e.names[v]
	}
	return fmt.Sprintf("%s(%d)", e.typ, int(v))
}

// parse is the value named name.
func (e enum[T]) parse(name string) (T, bool) {
	i := slices.Index(e.names, name)
	return T(i), i >= 0
}

// Unmatched is the program index of an applicant without a seat.
const Unmatched = -1

// Matching is a result of Solve.
type Matching struct {
	Side Side
	// Seed is the lottery seed the instance carried; keep it to reproduce the result.
	Seed uint64
	// ProgramOf[a] is the index of applicant a's program, or Unmatched.
	ProgramOf []int
}

// Solve returns the stable matching of in that is optimal for side. Ties in programs' orders
// are broken by the lottery seeded with in.Seed, so the result depends only on in.
func Solve(in *Instance, side Side) (*Matching, error) {
	return solve(in, side, nil)
}

// SolveAndCheck is Solve followed by Check, as matchsolve runs them, with the same results
// and errors. Check's first step — its own validation of the instance and, under policies,
// its reading of applicants' categories, none of which depends on the matching — runs on
// a second core while deferred acceptance, which is single-threaded, runs on the first
// (the 10× matchsolve runs in docs/BENCHMARKS.md, "Policy solve and checker at 10×"). The
// two still share no code: only the timing is shared.
func SolveAndCheck(in *Instance, side Side) (*Matching, Certificate, error) {
	var ck *checker
	m, err := solve(in, side, func() { ck = newChecker(in) })
	if err != nil {
		return nil, Certificate{}, err
	}
	cert, err := ck.check(m)
	return m, cert, err
}

// solve is Solve; alongside, when not nil, runs on another goroutine during deferred
// acceptance, after the instance was found valid.
func solve(in *Instance, side Side, alongside func()) (*Matching, error) {
	if side != ApplicantOptimal && side != ProgramOptimal {
		return nil, fmt.Errorf("solve: unknown side %v", side)
	}
	if err := in.Validate(); err != nil {
		return nil, fmt.Errorf("solve: %w", err)
	}
	policies := in.HasPolicies()
	if policies && side != ApplicantOptimal {
		return nil, fmt.Errorf("solve: %w", invalid("instance", "reserves and regions need applicant-optimal matching"))
	}
	pr := prepare(in, side == ProgramOptimal)
	if alongside != nil {
		done := make(chan struct{})
		go func() {
			defer close(done)
			alongside()
		}()
		defer func() { <-done }()
	}
	var programOf []int32
	if policies {
		programOf = solvePolicies(in, pr, nil)
	} else if side == ApplicantOptimal {
		programOf = pr.applicantsPropose()
	} else {
		programOf = pr.programsPropose()
	}
	m := &Matching{Side: side, Seed: in.Seed, ProgramOf: make([]int, len(programOf))}
	for a, p := range programOf {
		m.ProgramOf[a] = int(p)
	}
	return m, nil
}

// applicantsPropose runs applicant-proposing deferred acceptance.
//
// Each program keeps the applicants it holds in a max-heap keyed by their position in its
// broken order, so the weakest held applicant is at the top: a proposal is accepted
// outright while seats remain, otherwise it must beat the top, which is then displaced.
// The displaced applicant proposes next at once instead of going back on a free list; the
// result does not depend on the order of proposals.
func (pr *prepared) applicantsPropose() []int32 {
	programOf := make([]int32, pr.nA)
	next := make([]int32, pr.nA) // next entry of each applicant's list to propose to
	copy(next, pr.aOff[:pr.nA])

	// Program p's heap is heap[heapOff[p] : heapOff[p]+held[p]], with room for seats[p].
	// An entry is position<<32 | applicant: ordering entries orders positions, and the
	// applicant to displace is at hand without a lookup in the (large) program lists.
	heapOff := make([]int32, pr.nP+1)
	for p, s := range pr.seats {
		heapOff[p+1] = heapOff[p] + s
	}
	heap := make([]int64, heapOff[pr.nP])
	held := make([]int32, pr.nP)

	for start := range pr.nA {
		// a proposes down their list until a program holds them; if that displaced
		// someone, the displaced applicant carries on from where they stopped.
		for a := int32(start); a >= 0; {
			displaced := int32(-1)
			programOf[a] = Unmatched
			i, end := next[a], pr.aOff[a+1]
			for ; i < end; i++ {
				r := pr.aRank[i]
				if r < 0 {
					continue // the program does not list a
				}
				p := pr.aProg[i]
				entry := int64(r)<<32 | int64(a)
				base, seats, n := heapOff[p], pr.seats[p], held[p]
				if n < seats {
					heapPush(heap[base:base+n+1], entry)
					held[p] = n + 1
				} else if seats > 0 && entry < heap[base] {
					displaced = int32(heap[base])
					heap[base] = entry
					heapDown(heap[base : base+seats])
				} else {
					continue
				}
				programOf[a] = p
				break
			}
			next[a] = i + 1
			a = displaced
		}
	}
	return programOf
}

// heapPush adds x to the max-heap h[:len(h)-1], growing it to h.
func heapPush(h []int64, x int64) {
	j := len(h) - 1
	for j > 0 {
		parent := (j - 1) / 2
		if h[parent] >= x {
			break
		}
		h[j] = h[parent]
		j = parent
	}
	h[j] = x
}

// heapDown restores the max-heap after h[0] was replaced.
func heapDown(h []int64) {
	n := len(h)
	x := h[0]
	j := 0
	for {
		c := 2*j + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1] > h[c] {
			c++
		}
		if h[c] <= x {
			break
		}
		h[j] = h[c]
		j = c
	}
	h[j] = x
}

// programsPropose runs program-proposing deferred acceptance: a program offers to the next
// applicants on its order until its seats are tentatively filled or its list runs out; an
// applicant keeps the best offer so far. A program that loses an applicant goes back on
// the work stack.
func (pr *prepared) programsPropose() []int32 {
	heldBy := make([]int32, pr.nA) // program holding each applicant, or -1
	heldAt := make([]int32, pr.nA) // its position in the applicant's list
	for a := range heldBy {
		heldBy[a] = Unmatched
	}
	filled := make([]int32, pr.nP)
	next := make([]int32, pr.nP)
	copy(next, pr.pOff[:pr.nP])
	queued := make([]bool, pr.nP)
	stack := make([]int32, 0, pr.nP)
	for p := pr.nP - 1; p >= 0; p-- {
		stack = append(stack, int32(p))
		queued[p] = true
	}

	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		queued[p] = false
		for filled[p] < pr.seats[p] && next[p] < pr.pOff[p+1] {
			g := next[p]
			next[p]++
			k := pr.pRank[g]
			if k < 0 {
				continue // the applicant does not list p
			}
			a := pr.pApp[g]
			old := heldBy[a]
			if old != Unmatched {
				if heldAt[a] < k {
					continue // a holds a program it prefers
				}
				filled[old]--
				if !queued[old] {
					stack = append(stack, old)
					queued[old] = true
				}
			}
			heldBy[a] = p
			heldAt[a] = k
			filled[p]++
		}
	}
	return heldBy
}
