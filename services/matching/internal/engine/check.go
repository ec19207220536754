package engine

import (
	"fmt"
	"slices"
)

// Certificate is the outcome of Check: all zero means the matching is stable.
type Certificate struct {
	// BlockingPairs counts acceptable pairs (a, p) where a prefers p to their match and p
	// has a free seat or strictly prefers a to one of the applicants it got. Ties in p's
	// stated order count as indifference, so a lottery loss is not a blocking pair.
	// Under reserves or regions, a pair blocks when p's chooser (p, or its region) would
	// choose a from what it holds plus a, with ties broken by the lottery.
	BlockingPairs int
	// OverCapacity counts programs holding more applicants than seats.
	OverCapacity int
	// Unacceptable counts matched pairs in which one side does not list the other.
	Unacceptable int
	// RegionsOverCap counts regions whose programs together hold more than the cap.
	RegionsOverCap int
}

// Stable reports whether the certificate found no problem.
func (c Certificate) Stable() bool {
	return c == Certificate{}
}

func (c Certificate) String() string {
	s := fmt.Sprintf("%d blocking pairs, %d programs over capacity, %d unacceptable pairs",
		c.BlockingPairs, c.OverCapacity, c.Unacceptable)
	if c.RegionsOverCap > 0 {
		s += fmt.Sprintf(", %d regions over their cap", c.RegionsOverCap)
	}
	return s
}

// Check verifies m against in from scratch. It shares no code with the solvers: it reads
// the stated orders (not the lottery's) and applies the definitions directly, so a solver
// bug cannot hide behind the same bug here. It runs in time linear in the instance size.
func Check(in *Instance, m *Matching) (Certificate, error) {
	return newChecker(in).check(m)
}

// checker is Check in two steps: newChecker does what does not depend on the matching
// (validating the instance and, under policies, reading applicants' categories), so that
// SolveAndCheck can do it while the solver runs; check does the rest. in must not change
// in between.
type checker struct {
	in   *Instance
	err  error         // from validating in
	cats *categoryBits // under policies
}

func newChecker(in *Instance) *checker {
	c := &checker{in: in}
	if err := in.Validate(); err != nil {
		c.err = fmt.Errorf("check: %w", err)
		return c
	}
	if in.HasPolicies() {
		c.cats = categoriesOf(in)
	}
	return c
}

func (ck *checker) check(m *Matching) (Certificate, error) {
	in := ck.in
	if ck.err != nil {
		return Certificate{}, ck.err
	}
	if err := checkMatching(in, m); err != nil {
		return Certificate{}, fmt.Errorf("check: %w", err)
	}
	if ck.cats != nil {
		return checkPolicies(in, m, ck.cats), nil
	}

	h := holdingsOf(in, m)
	return byPrograms(in, h, func(lo, hi int) Certificate {
		return checkPrograms(in, h, lo, hi)
	}), nil
}

// checkPrograms is the plain check of programs lo…hi-1. One program at a time: mark the
// applicants it lists with their stated rank, then compare each one who wants it against
// the weakest applicant it got.
func checkPrograms(in *Instance, h *holdings, lo, hi int) Certificate {
	var c Certificate
	// mark[a] is which program lists a in this pass (index + 1) and at what stated rank,
	// side by side so that the scattered writes touch one cache line per entry.
	mark := make([]listMark, len(in.Applicants))
	for p := lo; p < hi; p++ {
		prog := &in.Programs[p]
		for k, a := range prog.Prefs {
			r := k
			if prog.Ranks != nil {
				r = prog.Ranks[k]
			}
			mark[a] = listMark{int32(p + 1), r}
		}
		listed := func(a int32) bool { return mark[a].by == int32(p+1) }

		members := h.members(p)
		if len(members) > prog.Capacity {
			c.OverCapacity++
		}
		weakest := -1
		unlistedMember := false
		for _, a := range members {
			if !h.listsOwn[a] || !listed(a) {
				c.Unacceptable++
			}
			if listed(a) {
				weakest = max(weakest, mark[a].rank)
			} else {
				unlistedMember = true
			}
		}
		for _, a := range h.wanted(p) {
			if !listed(a) {
				continue
			}
			hasRoom := len(members) < prog.Capacity
			// A program prefers anyone it lists to someone it does not list.
			prefersA := unlistedMember || (len(members) > 0 && mark[a].rank < weakest)
			if hasRoom || prefersA {
				c.BlockingPairs++
			}
		}
	}
	return c
}

// byPrograms runs check on two runs of the programs on two cores and adds up the
// certificates: each program is judged on its own, against the holdings h. The runs
// hold about half the work each: a program's grows with its list and with the
// applicants who wanted it (popular programs, which generated instances put first,
// weigh most).
func byPrograms(in *Instance, h *holdings, check func(lo, hi int) Certificate) Certificate {
	n := len(in.Programs)
	work := func(p int) int { return len(in.Programs[p].Prefs) + len(h.wanted(p)) }
	total := 0
	for p := range n {
		total += work(p)
	}
	mid, seen := 0, 0
	for mid < n && 2*seen < total {
		seen += work(mid)
		mid++
	}
	var first Certificate
	done := make(chan struct{})
	go func() {
		defer close(done)
		first = check(0, mid)
	}()
	c := check(mid, n)
	<-done
	c.add(first)
	return c
}

// add counts o's problems into c.
func (c *Certificate) add(o Certificate) {
	c.BlockingPairs += o.BlockingPairs
	c.OverCapacity += o.OverCapacity
	c.Unacceptable += o.Unacceptable
	c.RegionsOverCap += o.RegionsOverCap
}

// listMark records, for an applicant, the program listing them in a checker's pass over
// the programs (index + 1; 0 for none yet) and their rank or position in its order.
type listMark struct {
	by   int32
	rank int // a stated rank may be any int
}

// holdings is what both checkers read off the matching before judging it: the
// applicants each program got, and the applicants who ranked each program above their
// match (every program they ranked, when unmatched), in applicant order. Both live in
// flat arrays built by counting first, since at 10× NRMP size a slice per program grown
// by appending cost as much as the check itself.
type holdings struct {
	memOff, mem   []int32 // program p got mem[memOff[p]:memOff[p+1]]
	wantOff, want []int32 // and is wanted by want[wantOff[p]:wantOff[p+1]]
	// listsOwn[a] says whether applicant a ranked the program they got.
	listsOwn []bool
}

func (h *holdings) members(p int) []int32 { return h.mem[h.memOff[p]:h.memOff[p+1]] }
func (h *holdings) wanted(p int) []int32  { return h.want[h.wantOff[p]:h.wantOff[p+1]] }

// holdingsOf reads the holdings of a matching that checkMatching accepted. The two halves
// of the applicants are counted and laid out on two cores, the first half's at the front
// of each program's run and the second half's behind them, so every run still lists its
// applicants in increasing order.
func holdingsOf(in *Instance, m *Matching) *holdings {
	nA, nP := len(in.Applicants), len(in.Programs)
	h := &holdings{
		memOff:   make([]int32, nP+1),
		wantOff:  make([]int32, nP+1),
		listsOwn: make([]bool, nA),
	}
	halves := [2][2]int{{0, nA / 2}, {nA / 2, nA}}
	above := make([]int32, nA) // how many of a's list count as wanted
	// Per half: how many members and wanters each program has, then where the next goes.
	var memAt, wantAt [2][]int32
	twoCores(func(half int) {
		mem, want := make([]int32, nP), make([]int32, nP)
		for a := halves[half][0]; a < halves[half][1]; a++ {
			prefs := in.Applicants[a].Prefs
			above[a] = int32(len(prefs))
			if p := m.ProgramOf[a]; p != Unmatched {
				mem[p]++
				if k := slices.Index(prefs, p); k >= 0 {
					h.listsOwn[a] = true
					above[a] = int32(k)
				}
			}
			for _, q := range prefs[:above[a]] {
				want[q]++
			}
		}
		memAt[half], wantAt[half] = mem, want
	})
	for p := range nP {
		m0, w0 := memAt[0][p], wantAt[0][p]
		h.memOff[p+1] = h.memOff[p] + m0 + memAt[1][p]
		h.wantOff[p+1] = h.wantOff[p] + w0 + wantAt[1][p]
		memAt[0][p], memAt[1][p] = h.memOff[p], h.memOff[p]+m0
		wantAt[0][p], wantAt[1][p] = h.wantOff[p], h.wantOff[p]+w0
	}
	h.mem = make([]int32, h.memOff[nP])
	h.want = make([]int32, h.wantOff[nP])
	twoCores(func(half int) {
		mem, want := memAt[half], wantAt[half]
		for a := halves[half][0]; a < halves[half][1]; a++ {
			if p := m.ProgramOf[a]; p != Unmatched {
				h.mem[mem[p]] = int32(a)
				mem[p]++
			}
			for _, q := range in.Applicants[a].Prefs[:above[a]] {
				h.want[want[q]] = int32(a)
				want[q]++
			}
		}
	})
	return h
}
