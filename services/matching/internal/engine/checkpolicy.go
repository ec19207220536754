package engine

import (
	"cmp"
	"slices"
)

// checkPolicies is Check for instances with reserves or regions. Like the plain checker it
// shares no code with the solver: it orders each program's list itself (stated rank, then
// the lottery number, then input order), and it evaluates the choice rules of DESIGN.md
// §5 literally — a region's targets and round-robin counted seat by seat, a program's
// slots filled one by one — asking, for every applicant who ranked a program above their
// match, whether that program (or its region) would choose them from what it holds plus
// them. Ties count as broken by the lottery here: under a policy the choice depends on
// the whole order, so the certificate is for the order the round actually used.
func checkPolicies(in *Instance, m *Matching, cats *categoryBits) Certificate {
	var c Certificate
	nP := len(in.Programs)
	h := holdingsOf(in, m)
	held := func(p int) int { return len(h.members(p)) }
	// seatsWith[p] is how many applicants p may take once one more proposer joins it.
	seatsWith := make([]int, nP)
	for p := range in.Programs {
		seatsWith[p] = min(held(p)+1, in.Programs[p].Capacity)
	}
	for _, reg := range in.Regions {
		total := 0
		for _, p := range reg.Programs {
			total += held(p)
		}
		if total > reg.Cap {
			c.RegionsOverCap++
		}
		for k, share := range regionShares(in, reg, held) {
			seatsWith[reg.Programs[k]] = share
		}
	}
	c.add(byPrograms(in, h, func(lo, hi int) Certificate {
		return checkPolicyPrograms(in, h, seatsWith, cats.catBit, cats.bits, lo, hi)
	}))
	return c
}

// categoryBits numbers the categories that some program reserves seats for (catBit), and
// marks each applicant's in bits[a] when there are at most 64 (else bits is nil).
type categoryBits struct {
	catBit map[string]int
	bits   []uint64
}

func categoriesOf(in *Instance) *categoryBits {
	cb := &categoryBits{catBit: map[string]int{}}
	for p := range in.Programs {
		for _, r := range in.Programs[p].Reserves {
			if _, ok := cb.catBit[r.Category]; !ok && r.Seats > 0 {
				cb.catBit[r.Category] = len(cb.catBit)
			}
		}
	}
	if len(cb.catBit) <= 64 {
		cb.bits = make([]uint64, len(in.Applicants))
		for a := range in.Applicants {
			for _, cat := range in.Applicants[a].Categories {
				if b, ok := cb.catBit[cat]; ok {
					cb.bits[a] |= 1 << b
				}
			}
		}
	}
	return cb
}

// checkPolicyPrograms judges programs lo…hi-1 under their policies (see checkPolicies):
// seatsWith[p] is how many applicants p may take with one more proposer, and bits[a]
// a's reserved categories numbered by catBit (nil when there are more than 64).
func checkPolicyPrograms(in *Instance, h *holdings, seatsWith []int, catBit map[string]int, bits []uint64, lo, hi int) Certificate {
	var c Certificate
	var draws map[int]uint64 // lottery numbers, drawn only for programs with ties
	// mark[a]: the program p+1 listing a in this pass, and a's position in its order.
	// Positions fit in 32 bits, so a mark is 8 bytes: at 10× NRMP size the marks are
	// written and read at random, and half the size is half the cache misses.
	mark := make([]posMark, len(in.Applicants))
	var resCats []string
	var ranks []int32 // positions of the applicants p got, best first
	var table []int8  // memo by (k, reserved categories), when there are few of these
	memo := map[[2]uint64]bool{}
	for p := lo; p < hi; p++ {
		prog := &in.Programs[p]
		order := prog.Prefs
		if prog.Ranks != nil {
			if draws == nil {
				draws = make(map[int]uint64)
			}
			order = slices.Clone(prog.Prefs)
			stated := make(map[int]int, len(order))
			for k, a := range prog.Prefs {
				stated[a] = prog.Ranks[k]
				if _, ok := draws[a]; !ok {
					draws[a] = LotteryNumber(in.Seed, in.Applicants[a].ID)
				}
			}
			slices.SortFunc(order, func(x, y int) int {
				return cmp.Or(cmp.Compare(stated[x], stated[y]), cmp.Compare(draws[x], draws[y]), cmp.Compare(x, y))
			})
		}
		for k, a := range order {
			mark[a] = posMark{int32(p + 1), int32(k)}
		}
		listed := func(a int) bool { return mark[a].by == int32(p+1) }

		members := h.members(p)
		if len(members) > prog.Capacity {
			c.OverCapacity++
		}
		// Members the program does not list rank below everyone it lists.
		got := make([]int, 0, len(members)+1)
		for _, a := range members {
			if !h.listsOwn[a] || !listed(int(a)) {
				c.Unacceptable++
			}
			got = append(got, int(a))
		}
		rankOf := func(a int) int {
			if listed(a) {
				return int(mark[a].pos)
			}
			return len(order) + a
		}
		slices.SortFunc(got, func(x, y int) int { return cmp.Compare(rankOf(x), rankOf(y)) })
		ranks = ranks[:0]
		for _, a := range got {
			ranks = append(ranks, int32(min(rankOf(a), 1<<31-1)))
		}
		resCats = resCats[:0] // categories with reserved seats here
		var progBits uint64
		for _, r := range prog.Reserves {
			if r.Seats > 0 {
				resCats = append(resCats, r.Category)
				progBits |= 1 << (catBit[r.Category] % 64)
			}
		}
		// Whether p takes a depends only on how many it holds rank above a and on which
		// of its reserved categories a is in, so each such case is worked out once: in a
		// table by k and the categories (as bits of progBits) when progBits has at most 4
		// bits, else in memo.
		nBits := bits != nil && len(resCats) > 0 && bitCount(progBits) <= 4
		if nBits {
			table = slices.Grow(table[:0], (len(got)+1)<<4)[:(len(got)+1)<<4]
			clear(table)
		} else {
			clear(memo)
		}
		for _, a32 := range h.wanted(p) {
			a := int(a32)
			if !listed(a) {
				continue
			}
			k, _ := slices.BinarySearch(ranks, mark[a].pos)
			if len(resCats) == 0 {
				// Open seats only: a is chosen when fewer than seats rank above them.
				if wouldChoose(prog, in.Applicants, got, a, k, seatsWith[p], false) {
					c.BlockingPairs++
				}
				continue
			}
			var mask uint64
			if bits != nil {
				mask = bits[a] & progBits
			} else {
				for i, cat := range resCats {
					if slices.Contains(in.Applicants[a].Categories, cat) {
						mask |= 1 << (i % 64)
					}
				}
			}
			var chosen bool
			if nBits {
				slot := &table[k<<4|int(compress(mask, progBits))]
				if *slot == 0 {
					*slot = 1
					if wouldChoose(prog, in.Applicants, got, a, k, seatsWith[p], mask != 0) {
						*slot = 2
					}
				}
				chosen = *slot == 2
			} else {
				key := [2]uint64{uint64(k), mask}
				var known bool
				chosen, known = memo[key]
				if !known || (bits == nil && len(resCats) > 64) {
					chosen = wouldChoose(prog, in.Applicants, got, a, k, seatsWith[p], mask != 0)
					memo[key] = chosen
				}
			}
			if chosen {
				c.BlockingPairs++
			}
		}
	}
	return c
}

// posMark records, for an applicant, the program listing them in the policy checker's
// pass over the programs (index + 1; 0 for none yet) and their position in its order.
type posMark struct {
	by, pos int32
}

// bitCount is the number of bits set in x.
func bitCount(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// compress packs the bits of x that lie in mask into the low bits, in order.
func compress(x, mask uint64) uint64 {
	var out uint64
	for j := 0; mask != 0; j++ {
		low := mask & -mask
		if x&low != 0 {
			out |= 1 << j
		}
		mask &^= low
	}
	return out
}

// wouldChoose reports whether program prog, filling seats of its slots from the applicants
// in held (sorted best first) plus applicant a, who ranks below k of them, takes a.
// inReserved says whether a is in a category prog reserves seats for.
func wouldChoose(prog *Program, apps []Applicant, held []int, a, k, seats int, inReserved bool) bool {
	if !slices.ContainsFunc(prog.Reserves, func(r Reserve) bool { return r.Seats > 0 }) {
		return k < seats // open seats only: a is chosen when fewer than seats rank above them
	}
	if k >= seats && !inReserved {
		// Outside every reserved category, a can only have a slot that takes the best
		// remaining applicant, and seats applicants above a come first.
		return false
	}
	pool := slices.Insert(slices.Clone(held), k, a)
	taken := make([]bool, len(pool))
	reservedSeats := 0
	for _, r := range prog.Reserves {
		reservedSeats += r.Seats
	}
	for slot := range seats {
		// Which category slot number `slot` is reserved for, if any.
		category := ""
		s := slot
		if prog.ReserveOrder == ReservesLast {
			s -= prog.Capacity - reservedSeats
		}
		if s >= 0 {
			for _, r := range prog.Reserves {
				if s < r.Seats {
					category = r.Category
					break
				}
				s -= r.Seats
			}
		}
		pick := -1
		if category != "" {
			for i, x := range pool {
				if !taken[i] && slices.Contains(apps[x].Categories, category) {
					pick = i
					break
				}
			}
		}
		if pick < 0 {
			pick = slices.Index(taken, false)
		}
		if pick < 0 {
			break
		}
		taken[pick] = true
		if pool[pick] == a {
			return true
		}
	}
	return false
}
