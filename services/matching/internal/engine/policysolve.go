package engine

// This file is deferred acceptance against the choice rules of DESIGN.md §5 ("Allocation
// policies"): programs that fill a sequence of open and reserved slots, and regions that
// share a cap among their programs by Kamada–Kojima's flexible rule.
//
// Two facts keep it incremental.
//
// A program fills its slots one at a time, each from the applicants still unchosen, so the
// applicants chosen for its first k slots do not depend on how many slots follow. When a
// program must give up a seat, it gives up the applicant its last filled slot took; when it
// keeps k seats and a new proposer arrives, it fills k slots from what it holds plus them.
//
// How many seats each program of a region gets depends only on how many proposers each
// one has (every slot is filled while proposers remain, because an unused reserve reverts).
// Program p first gets b = min(target, m) seats, where m is its proposers, capped at its
// seats; the rest, d = m - b, are candidates for the round-robin, where p's j-th extra seat
// sits at position (round j, p's place in the region). The region hands out the first
// R = cap - Σb candidate positions in that order. The choice functions are substitutable,
// so counting every proposal a program has ever received gives the same choice as counting
// what it holds now; with that count, m and d only grow and R only shrinks, so the last
// position handed out (the cut) only moves back, and the cut is tracked by walking back
// over the grid of positions, a bounded total amount of work per region.

// policyPrep is what the policy solver needs beyond prepared.
type policyPrep struct {
	// Program p's slots are runs runCat[k], runLen[k] for k in runOff[p]…runOff[p+1]:
	// runLen slots that are open (runCat -1) or reserved for reserve category runCat.
	runOff, runCat, runLen []int32
	reserved               []bool // program has a reserved slot, so it needs the slot walk

	// Applicant a's reserve categories: bit c of catMask[a] when there are at most 64
	// reserve categories (the usual case), else cats[catOff[a]:catOff[a+1]].
	catMask      []uint64
	catOff, cats []int32
	// progMask[p] has the bits of the categories program p reserves seats for (all bits
	// when there are more than 64 categories).
	progMask []uint64

	region []int32 // region index of each program, -1 for none
	place  []int32 // program's position in its region
	target []int32 // effective target, cut to seats
	caps   []int32 // region caps
	member [][]int32
}

// hasCat reports whether applicant a belongs to reserve category c.
func (pp *policyPrep) hasCat(a, c int32) bool {
	if pp.catMask != nil {
		return pp.catMask[a]>>c&1 != 0
	}
	for _, x := range pp.cats[pp.catOff[a]:pp.catOff[a+1]] {
		if x == c {
			return true
		}
	}
	return false
}

// mayReserve reports whether applicant a might be in a category program p reserves for.
func (pp *policyPrep) mayReserve(a, p int32) bool {
	if !pp.reserved[p] {
		return false
	}
	if pp.catMask != nil {
		return pp.catMask[a]&pp.progMask[p] != 0
	}
	return true
}

// preparePolicies builds the policy tables of a valid instance.
func preparePolicies(in *Instance, pr *prepared) *policyPrep {
	pp := &policyPrep{
		runOff:   make([]int32, pr.nP+1),
		reserved: make([]bool, pr.nP),
		region:   make([]int32, pr.nP),
		place:    make([]int32, pr.nP),
		target:   make([]int32, pr.nP),
	}
	catID := map[string]int32{}
	for p := range in.Programs {
		prog := &in.Programs[p]
		open := int32(prog.Capacity)
		var res []int32 // pairs (category, seats)
		for _, r := range prog.Reserves {
			if r.Seats == 0 {
				continue
			}
			c, ok := catID[r.Category]
			if !ok {
				c = int32(len(catID))
				catID[r.Category] = c
			}
			res = append(res, c, int32(r.Seats))
			open -= int32(r.Seats)
		}
		pp.reserved[p] = len(res) > 0
		if prog.ReserveOrder == ReservesLast && open > 0 {
			pp.runCat, pp.runLen = append(pp.runCat, -1), append(pp.runLen, open)
		}
		for k := 0; k < len(res); k += 2 {
			pp.runCat, pp.runLen = append(pp.runCat, res[k]), append(pp.runLen, res[k+1])
		}
		if prog.ReserveOrder == ReservesFirst && open > 0 {
			pp.runCat, pp.runLen = append(pp.runCat, -1), append(pp.runLen, open)
		}
		pp.runOff[p+1] = int32(len(pp.runCat))
		pp.region[p] = -1
		pp.target[p] = int32(min(prog.target(), int(pr.seats[p])))
	}

	if len(catID) <= 64 {
		pp.catMask = make([]uint64, pr.nA)
		for a := range in.Applicants {
			for _, name := range in.Applicants[a].Categories {
				if c, ok := catID[name]; ok {
					pp.catMask[a] |= 1 << c
				}
			}
		}
		pp.progMask = make([]uint64, pr.nP)
		for p := range pr.nP {
			for k := pp.runOff[p]; k < pp.runOff[p+1]; k++ {
				if c := pp.runCat[k]; c >= 0 {
					pp.progMask[p] |= 1 << c
				}
			}
		}
	} else {
		pp.catOff = make([]int32, pr.nA+1)
		for a := range in.Applicants {
			for _, name := range in.Applicants[a].Categories {
				if c, ok := catID[name]; ok {
					pp.cats = append(pp.cats, c)
				}
			}
			pp.catOff[a+1] = int32(len(pp.cats))
		}
	}

	pp.caps = make([]int32, len(in.Regions))
	pp.member = make([][]int32, len(in.Regions))
	for r, reg := range in.Regions {
		pp.caps[r] = int32(min(reg.Cap, 1<<31-1))
		for k, p := range reg.Programs {
			pp.region[p], pp.place[p] = int32(r), int32(k)
			pp.member[r] = append(pp.member[r], int32(p))
		}
	}
	return pp
}

// slotWalk fills up to slots of program p's slots from items, which are held entries
// (position<<32 | applicant) sorted best first. picked[i] is set for every item taken, and
// the index of the item taken by the last filled slot is returned (-1 if none).
func (pp *policyPrep) slotWalk(p int32, items []int64, slots int, picked []bool) int {
	clear(picked[:len(items)])
	n := len(items)
	next := 0 // first item not yet picked
	last := -1
	filled := 0
	takeNext := func() bool {
		for next < n && picked[next] {
			next++
		}
		if next == n {
			return false
		}
		picked[next], last = true, next
		return true
	}
	for k := pp.runOff[p]; k < pp.runOff[p+1] && filled < slots; k++ {
		c := pp.runCat[k]
		scan := 0
		for s := int32(0); s < pp.runLen[k] && filled < slots; s++ {
			if c >= 0 {
				for scan < n && (picked[scan] || !pp.hasCat(int32(items[scan]), c)) {
					scan++
				}
				if scan < n {
					picked[scan], last = true, scan
					filled++
					continue
				}
			}
			if !takeNext() {
				return last
			}
			filled++
		}
	}
	return last
}

// regionState tracks one region's round-robin cut (see the file comment).
type regionState struct {
	rest      int64 // R: cap minus the seats programs take up to their targets
	extra     int64 // D: candidate positions in the round-robin
	saturated bool  // extra >= rest: the cut decides who gets a round-robin seat
	cutRound  int32 // the last position handed out; round 0 means none
	cutPlace  int32
}

// policySolver is applicant-proposing deferred acceptance under policies.
type policySolver struct {
	pr      *prepared
	pp      *policyPrep
	regions []regionState
	got     []int32 // proposals each program has received (acceptable ones only)
	heldOff []int32
	held    []int64 // program p holds held[heldOff[p] : heldOff[p]+count[p]], sorted best first
	count   []int32
	picked  []bool
}

// extraOf is how many round-robin candidates program p has after got proposals.
func (s *policySolver) extraOf(p int32) int32 {
	m := min(s.got[p], s.pr.seats[p])
	return m - min(m, s.pp.target[p])
}

// before reports whether position (j1, i1) comes before (j2, i2) in round-robin order.
func before(j1, i1, j2, i2 int32) bool {
	return j1 < j2 || (j1 == j2 && i1 < i2)
}

// stepBack moves region r's cut to the candidate position before it and returns the
// program whose seat the old cut was.
func (s *policySolver) stepBack(r int32) int32 {
	st := &s.regions[r]
	members := s.pp.member[r]
	lost := members[st.cutPlace]
	j, i := st.cutRound, st.cutPlace
	for {
		i--
		if i < 0 {
			j--
			i = int32(len(members)) - 1
		}
		if j == 0 || s.extraOf(members[i]) >= j {
			break
		}
	}
	st.cutRound, st.cutPlace = j, i
	return lost
}

// saturate records that region r now hands out exactly all its candidates (extra ==
// rest): the cut is the last candidate position.
func (s *policySolver) saturate(r int32) {
	st := &s.regions[r]
	st.saturated = true
	st.cutRound, st.cutPlace = 0, 0
	for i, p := range s.pp.member[r] {
		if d := s.extraOf(p); d > 0 && !before(d, int32(i), st.cutRound, st.cutPlace) {
			st.cutRound, st.cutPlace = d, int32(i)
		}
	}
}

// admit decides applicant a's proposal to program p, at position pos in p's order. It
// reports whether p (or its region) keeps a, and the applicant displaced, or -1.
func (s *policySolver) admit(a, p, pos int32) (kept bool, displaced int32) {
	s.got[p]++
	grow := false // p gains a seat, so it keeps everyone it holds plus a
	loser := int32(-1)
	if r := s.pp.region[p]; r < 0 {
		grow = s.got[p] <= s.pr.seats[p]
	} else if s.got[p] <= s.pr.seats[p] {
		// p's proposers grew within its seats, so the region recounts.
		st := &s.regions[r]
		if s.got[p] <= s.pp.target[p] {
			// One more target seat, always granted; R shrinks by one, so when the
			// round-robin is saturated its last seat (the cut) is taken back.
			grow = true
			if st.saturated {
				loser = s.stepBack(r)
			}
			st.rest--
		} else {
			// One more round-robin candidate, (round extraOf(p), place of p): granted
			// unless the round-robin is saturated and the candidate comes after the cut;
			// if it comes before, it pushes the cut's seat out.
			grow = true
			st.extra++
			if st.saturated {
				if before(s.extraOf(p), s.pp.place[p], st.cutRound, st.cutPlace) {
					loser = s.stepBack(r)
				} else {
					grow = false
				}
			}
		}
		if !st.saturated && st.extra >= st.rest {
			s.saturate(r)
		}
	}

	entry := int64(pos)<<32 | int64(a)
	base, n := s.heldOff[p], s.count[p]
	h := s.held[base : base+n+1 : base+n+1]
	if !grow && (n == 0 || (entry > h[n-1] && !s.pp.mayReserve(a, p))) {
		// Ranked below everyone p holds and in none of its reserved categories, a cannot
		// take any slot from them: every slot prefers any of them to a.
		return false, -1
	}
	// Insert a in order; heldOff leaves room for seats+1 entries, so there is always a
	// spare one while p decides whom to let go.
	k := n
	for k > 0 && h[k-1] > entry {
		h[k] = h[k-1]
		k--
	}
	h[k] = entry
	if grow {
		s.count[p] = n + 1
		if loser >= 0 {
			displaced = s.dropLast(loser)
		} else {
			displaced = -1
		}
		return true, displaced
	}
	// p keeps n seats: fill n slots from the n+1 applicants and let the unpicked one go.
	out := int(n)
	if s.pp.reserved[p] {
		s.pp.slotWalk(p, h, int(n), s.picked)
		for i := range h {
			if !s.picked[i] {
				out = i
				break
			}
		}
	}
	gone := int32(h[out])
	copy(h[out:], h[out+1:])
	return gone != a, gone
}

// dropLast makes program q give up the applicant its last filled slot took.
func (s *policySolver) dropLast(q int32) int32 {
	base, n := s.heldOff[q], s.count[q]
	h := s.held[base : base+n]
	out := int(n) - 1
	if s.pp.reserved[q] {
		out = s.pp.slotWalk(q, h, int(n), s.picked)
	}
	gone := int32(h[out])
	copy(h[out:], h[out+1:])
	s.count[q] = n - 1
	return gone
}

// solvePolicies runs applicant-proposing deferred acceptance under the instance's policies.
// order, when not nil, is the order in which applicants start proposing (tests shuffle it
// to show that the result does not depend on it).
func solvePolicies(in *Instance, pr *prepared, order []int32) []int32 {
	pp := preparePolicies(in, pr)
	s := &policySolver{
		pr:      pr,
		pp:      pp,
		regions: make([]regionState, len(in.Regions)),
		got:     make([]int32, pr.nP),
		heldOff: make([]int32, pr.nP+1),
		count:   make([]int32, pr.nP),
	}
	maxSeats := int32(0)
	for p, seats := range pr.seats {
		s.heldOff[p+1] = s.heldOff[p] + seats + 1
		maxSeats = max(maxSeats, seats)
	}
	s.held = make([]int64, s.heldOff[pr.nP])
	s.picked = make([]bool, maxSeats+1)
	for r := range s.regions {
		s.regions[r].rest = int64(pp.caps[r])
		if s.regions[r].rest == 0 {
			s.saturate(int32(r))
		}
	}

	programOf := make([]int32, pr.nA)
	next := make([]int32, pr.nA)
	copy(next, pr.aOff[:pr.nA])
	for k := range pr.nA {
		start := int32(k)
		if order != nil {
			start = order[k]
		}
		for a := start; a >= 0; {
			displaced := int32(-1)
			programOf[a] = Unmatched
			i, end := next[a], pr.aOff[a+1]
			for ; i < end; i++ {
				r := pr.aRank[i]
				if r < 0 {
					continue
				}
				p := pr.aProg[i]
				kept, out := s.admit(a, p, r)
				if out >= 0 && out != a {
					displaced = out
					programOf[out] = Unmatched
				}
				if kept {
					programOf[a] = p
					break
				}
			}
			next[a] = i + 1
			a = displaced
		}
	}
	return programOf
}
