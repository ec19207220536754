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
	// Program p's slots are runs runCat[k], runLen[k] for k in its runOff…runEnd:
	// runLen slots that are open (runCat -1) or reserved for reserve category runCat.
	runCat, runLen []int32

	// Applicant a's reserve categories: bit c of catMask[a] when there are at most 64
	// reserve categories (the usual case), else cats[catOff[a]:catOff[a+1]].
	catMask      []uint64
	catOff, cats []int32

	caps   []int32 // region caps
	member [][]int32
}

// hasCat reports whether applicant a belongs to reserve category c, when there is no
// catMask (more than 64 categories).
func (pp *policyPrep) hasCat(a, c int32) bool {
	for _, x := range pp.cats[pp.catOff[a]:pp.catOff[a+1]] {
		if x == c {
			return true
		}
	}
	return false
}

// progState is one program's part of the policy solver: its fixed rules and what it
// holds so far. A proposal reads most of these fields, so they share one cache line
// instead of a dozen arrays indexed by program, and worst repeats the last held entry,
// so that a proposal turned away at once reads nothing else
// (BenchmarkPolicyDeferredAcceptance10x; docs/BENCHMARKS.md, "Policy solve and checker
// at 10×").
type progState struct {
	got     int32 // proposals received (acceptable ones only)
	seats   int32
	count   int32 // applicants held: held[heldOff : heldOff+count], sorted best first
	heldOff int32
	region  int32 // region index, -1 for none
	place   int32 // position in its region
	target  int32 // effective target, cut to seats
	// runs runOff…runEnd of policyPrep are the program's slots.
	runOff, runEnd int32
	// reserved: the program has a reserved slot, so it needs the slot walk. mask has the
	// bits of the categories it reserves seats for (all bits with more than 64).
	reserved bool
	mask     uint64
	worst    int64   // held[heldOff+count-1], when count > 0
	_        [8]byte // one 64-byte line per program
}

// heldEntry is one applicant a program holds: key is their position in its order<<32 |
// applicant, so ordering keys orders positions.
type heldEntry struct {
	key int64
	app heldApp
}

// heldApp is what the solver keeps beside each held entry about its applicant: their
// reserve categories (catMask, or 0), the next entry of their list to propose to and the
// end of their list. A displaced applicant carries on from it: the program's own run was
// just read, so resuming costs no lookup in arrays indexed by applicant.
type heldApp struct {
	mask      uint64
	next, end int32
}

// gate is what a proposal to a program needs to know to be turned away without reading
// the program's state: once a program has had as many proposals as seats, more change
// nothing but who it holds, so an applicant ranked below bound (its worst held position)
// and in none of the categories of mask is turned away. Twelve bytes per program keep
// all of them in the core's own cache at 10× NRMP size, where most proposals are turned
// away (BenchmarkPolicyDeferredAcceptance10x; docs/BENCHMARKS.md, "Policy solve and
// checker at 10×"). last lets a proposal that gets past the gate start fetching the
// program's held entries before its state arrives.
type gate struct {
	bound int32  // positions above it are turned away; MaxInt32 while the program may grow
	mask  uint32 // reserved categories, when all are below 32
	last  int32  // index in held of the program's last seat
}

// preparePolicies builds the policy tables of a valid instance, and each program's fixed
// fields in progs.
func preparePolicies(in *Instance, pr *prepared, progs []progState) *policyPrep {
	pp := &policyPrep{}
	catID := map[string]int32{}
	for p := range in.Programs {
		prog := &in.Programs[p]
		ps := &progs[p]
		ps.runOff = int32(len(pp.runCat))
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
		ps.reserved = len(res) > 0
		if prog.ReserveOrder == ReservesLast && open > 0 {
			pp.runCat, pp.runLen = append(pp.runCat, -1), append(pp.runLen, open)
		}
		for k := 0; k < len(res); k += 2 {
			pp.runCat, pp.runLen = append(pp.runCat, res[k]), append(pp.runLen, res[k+1])
		}
		if prog.ReserveOrder == ReservesFirst && open > 0 {
			pp.runCat, pp.runLen = append(pp.runCat, -1), append(pp.runLen, open)
		}
		ps.runEnd = int32(len(pp.runCat))
		ps.region = -1
		ps.target = int32(min(prog.target(), int(pr.seats[p])))
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
		for p := range progs {
			ps := &progs[p]
			for k := ps.runOff; k < ps.runEnd; k++ {
				if c := pp.runCat[k]; c >= 0 {
					ps.mask |= 1 << c
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
		for p := range progs {
			if progs[p].reserved {
				progs[p].mask = ^uint64(0)
			}
		}
	}

	pp.caps = make([]int32, len(in.Regions))
	pp.member = make([][]int32, len(in.Regions))
	for r, reg := range in.Regions {
		pp.caps[r] = int32(min(reg.Cap, 1<<31-1))
		for k, p := range reg.Programs {
			progs[p].region, progs[p].place = int32(r), int32(k)
			pp.member[r] = append(pp.member[r], int32(p))
		}
	}
	return pp
}

// slotWalk fills up to slots of program ps's slots from items, which are held entries
// sorted best first. picked[i] is set for every item taken, and the index of the item
// taken by the last filled slot is returned (-1 if none).
func (pp *policyPrep) slotWalk(ps *progState, items []heldEntry, slots int, picked []bool) int {
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
	inCat := func(i int, c int32) bool {
		if pp.catMask != nil {
			return items[i].app.mask>>c&1 != 0
		}
		return pp.hasCat(int32(items[i].key), c)
	}
	for k := ps.runOff; k < ps.runEnd && filled < slots; k++ {
		c := pp.runCat[k]
		scan := 0
		for s := int32(0); s < pp.runLen[k] && filled < slots; s++ {
			if c >= 0 {
				for scan < n && (picked[scan] || !inCat(scan, c)) {
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
	progs   []progState
	held    []heldEntry // program p holds held[heldOff : heldOff+count] of progs[p]
	gates   []gate
	picked  []bool
	touched int64 // keeps the early loads of held entries from being optimised away
}

// setGate updates program p's gate after a change to what it holds.
func (s *policySolver) setGate(p int32) {
	ps := &s.progs[p]
	g := gate{bound: 1<<31 - 1, last: ps.heldOff + max(ps.seats-1, 0)}
	switch {
	case ps.got < ps.seats:
		// It may still grow.
	case ps.count == 0:
		g.bound = -1 // takes no one
	case !ps.reserved:
		g.bound = int32(ps.worst >> 32)
	case s.pp.catMask != nil && ps.mask < 1<<32:
		g.bound, g.mask = int32(ps.worst>>32), uint32(ps.mask)
	}
	s.gates[p] = g
}

// extraOf is how many round-robin candidates program p has after got proposals.
func (s *policySolver) extraOf(p int32) int32 {
	ps := &s.progs[p]
	m := min(ps.got, ps.seats)
	return m - min(m, ps.target)
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

// admit decides applicant a's proposal to program p, at position pos in p's order; app
// is what p keeps beside a if it holds them. It reports whether p (or its region) keeps
// a, and the applicant displaced, or -1, with what was kept beside them.
func (s *policySolver) admit(a, p, pos int32, app heldApp) (kept bool, displaced int32, dapp heldApp) {
	ps := &s.progs[p]
	ps.got++
	grow := false // p gains a seat, so it keeps everyone it holds plus a
	loser := int32(-1)
	if r := ps.region; r < 0 {
		grow = ps.got <= ps.seats
	} else if ps.got <= ps.seats {
		// p's proposers grew within its seats, so the region recounts.
		st := &s.regions[r]
		if ps.got <= ps.target {
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
				if before(s.extraOf(p), ps.place, st.cutRound, st.cutPlace) {
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
	n := ps.count
	// a might be in a category p reserves for; without catMask, anyone might.
	mayReserve := ps.reserved && (s.pp.catMask == nil || app.mask&ps.mask != 0)
	if !grow && (n == 0 || (entry > ps.worst && !mayReserve)) {
		// Ranked below everyone p holds and in none of its reserved categories, a cannot
		// take any slot from them: every slot prefers any of them to a.
		s.setGate(p)
		return false, -1, dapp
	}
	// Insert a in order; heldOff leaves room for seats+1 entries, so there is always a
	// spare one while p decides whom to let go.
	base := ps.heldOff
	h := s.held[base : base+n+1 : base+n+1]
	k := n
	for k > 0 && h[k-1].key > entry {
		h[k] = h[k-1]
		k--
	}
	h[k] = heldEntry{entry, app}
	if grow {
		ps.count = n + 1
		ps.worst = h[n].key
		s.setGate(p)
		displaced = -1
		if loser >= 0 {
			displaced, dapp = s.dropLast(loser)
		}
		return true, displaced, dapp
	}
	// p keeps n seats: fill n slots from the n+1 applicants and let the unpicked one go.
	out := int(n)
	if ps.reserved {
		s.pp.slotWalk(ps, h, int(n), s.picked)
		for i := range h {
			if !s.picked[i] {
				out = i
				break
			}
		}
	}
	gone, goneApp := int32(h[out].key), h[out].app
	copy(h[out:], h[out+1:])
	ps.worst = h[n-1].key
	s.setGate(p)
	return gone != a, gone, goneApp
}

// dropLast makes program q give up the applicant its last filled slot took, and returns
// them with what q kept beside them.
func (s *policySolver) dropLast(q int32) (int32, heldApp) {
	ps := &s.progs[q]
	base, n := ps.heldOff, ps.count
	h := s.held[base : base+n]
	out := int(n) - 1
	if ps.reserved {
		out = s.pp.slotWalk(ps, h, int(n), s.picked)
	}
	gone, goneApp := int32(h[out].key), h[out].app
	copy(h[out:], h[out+1:])
	ps.count = n - 1
	if n > 1 {
		ps.worst = h[n-2].key
	}
	s.setGate(q)
	return gone, goneApp
}

// solvePolicies runs applicant-proposing deferred acceptance under the instance's policies.
// order, when not nil, is the order in which applicants start proposing (tests shuffle it
// to show that the result does not depend on it).
func solvePolicies(in *Instance, pr *prepared, order []int32) []int32 {
	progs := make([]progState, pr.nP)
	pp := preparePolicies(in, pr, progs)
	s := &policySolver{
		pr:      pr,
		pp:      pp,
		regions: make([]regionState, len(in.Regions)),
		progs:   progs,
	}
	maxSeats, total := int32(0), int32(0)
	for p, seats := range pr.seats {
		progs[p].seats, progs[p].heldOff = seats, total
		total += seats + 1
		maxSeats = max(maxSeats, seats)
	}
	s.held = make([]heldEntry, total)
	s.gates = make([]gate, pr.nP)
	for p := range s.gates {
		s.setGate(int32(p))
	}
	s.picked = make([]bool, maxSeats+1)
	for r := range s.regions {
		s.regions[r].rest = int64(pp.caps[r])
		if s.regions[r].rest == 0 {
			s.saturate(int32(r))
		}
	}

	for k := range pr.nA {
		a := int32(k)
		if order != nil {
			a = order[k]
		}
		app := heldApp{next: pr.aOff[a], end: pr.aOff[a+1]}
		if pp.catMask != nil {
			app.mask = pp.catMask[a]
		}
		for a >= 0 {
			// a proposes down their list from app.next until a program holds them; if
			// that displaced someone, the displaced applicant carries on from where they
			// stopped.
			displaced, dapp := int32(-1), heldApp{}
			for i := app.next; i < app.end; i++ {
				r := pr.aRank[i]
				if r < 0 {
					continue
				}
				p := pr.aProg[i]
				g := s.gates[p]
				if r > g.bound && app.mask&uint64(g.mask) == 0 {
					continue // as admit would decide, but without reading p's state
				}
				// Start fetching p's held entries, where a full program's insertion starts,
				// while admit waits for p's state: the two misses overlap.
				s.touched += s.held[g.last].key & 1
				app.next = i + 1
				kept, out, oapp := s.admit(a, p, r, app)
				if out >= 0 && out != a {
					displaced, dapp = out, oapp
				}
				if kept {
					break
				}
			}
			a, app = displaced, dapp
		}
	}

	// Everyone held has their seat; no one else has one.
	programOf := make([]int32, pr.nA)
	for a := range programOf {
		programOf[a] = Unmatched
	}
	for p := range progs {
		ps := &progs[p]
		for _, e := range s.held[ps.heldOff : ps.heldOff+ps.count] {
			programOf[int32(e.key)] = int32(p)
		}
	}
	return programOf
}
