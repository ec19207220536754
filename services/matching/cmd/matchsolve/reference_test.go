package main

// This is the project's own reference for the matching rules of DESIGN.md §5 (deferred
// acceptance with allocation policies: category reserves and Kamada–Kojima regions). It was
// written from the text of DESIGN.md §5 alone, without reading the engine's solver, choosers
// or checker. The only engine function it calls is engine.LotteryNumber, which orders the
// applicants of a tie group (lower numbers first). It reads the JSON instance itself with
// encoding/json and favours plainness over speed: every choice is recomputed from scratch.
//
// The rules as read from DESIGN.md §5:
//   - A pair is acceptable when the applicant lists the program and the program lists the
//     applicant.
//   - A program's seats are a sequence of slots: with reserveOrder "last" (the default) its
//     open slots, then each reserve's slots in the order listed; with "first" the reserved
//     slots, then the open ones. An open slot takes the best remaining proposer in the
//     program's order; a slot reserved for category g takes the best remaining proposer who
//     has g, and when none does, the best remaining proposer of any kind.
//   - A region (cap, its programs in instance order, each with a target that defaults to
//     the program's capacity) chooses in two phases: every program fills its first target
//     slots from its own proposers; then, round-robin in instance order, each program that
//     still has a free seat and a remaining proposer fills its next slot, until cap
//     applicants are chosen or no program can take anyone. A target above the capacity is
//     read as the capacity: a program never has more slots than seats.
//   - Deferred acceptance: while some unmatched applicant has programs left on their list,
//     one of them proposes to the next; the program's chooser (its region's chooser when it
//     is in a region) keeps its choice among everything it holds plus the proposer and
//     rejects the rest.
//   - Stability: no applicant prefers a program whose chooser would pick them from what it
//     (or its region) holds plus them; and every chooser keeps all it holds.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// The instance format of DESIGN.md §5, as this reference reads and the generator writes it.
type refInstance struct {
	Applicants []refApplicant `json:"applicants"`
	Programs   []refProgram   `json:"programs"`
	Regions    []refRegion    `json:"regions,omitempty"`
}

type refApplicant struct {
	ID         string   `json:"id"`
	Prefs      []string `json:"prefs"`
	Categories []string `json:"categories,omitempty"`
}

type refProgram struct {
	ID       string `json:"id"`
	Capacity int    `json:"capacity"`
	// Prefs holds applicant ids; an element that is a list is a tie group.
	Prefs        []any        `json:"prefs"`
	Reserves     []refReserve `json:"reserves,omitempty"`
	ReserveOrder string       `json:"reserveOrder,omitempty"`
	Region       string       `json:"region,omitempty"`
	Target       *int         `json:"target,omitempty"`
}

type refReserve struct {
	Category string `json:"category"`
	Seats    int    `json:"seats"`
}

type refRegion struct {
	ID  string `json:"id"`
	Cap int    `json:"cap"`
}

// refPair is one applicant held by (or proposing to) one program; both are indices.
type refPair struct{ a, p int }

// refUnit is whoever chooses for a set of programs: a region, or a program alone (a unit
// with one program whose target and cap are its capacity, which makes the two phases
// reduce to the program's own slot rules).
type refUnit struct {
	progs   []int
	targets []int
	cap     int
}

// refModel is an instance prepared for solving.
type refModel struct {
	appIDs  []string
	progIDs []string
	appList [][]int       // each applicant's acceptable programs, best first
	rank    []map[int]int // rank[p][a]: a's place in p's order after the lottery
	cats    []map[string]bool
	slots   [][]string // each program's slots: "" is open, otherwise the reserved category
	unitOf  []int      // program → its unit
	units   []refUnit
}

// refParse reads an instance with encoding/json into the reference's own structs.
func refParse(data []byte) (refInstance, error) {
	var in refInstance
	err := json.Unmarshal(data, &in)
	return in, err
}

// refPrepare checks the policy rules DESIGN.md §5 calls bad input and builds the model.
func refPrepare(in refInstance, seed uint64) (*refModel, error) {
	m := &refModel{}
	appIdx := map[string]int{}
	for i, a := range in.Applicants {
		if _, dup := appIdx[a.ID]; dup {
			return nil, fmt.Errorf("duplicate applicant %q", a.ID)
		}
		appIdx[a.ID] = i
		m.appIDs = append(m.appIDs, a.ID)
		cs := map[string]bool{}
		for _, c := range a.Categories {
			cs[c] = true
		}
		m.cats = append(m.cats, cs)
	}
	progIdx := map[string]int{}
	for i, p := range in.Programs {
		if _, dup := progIdx[p.ID]; dup {
			return nil, fmt.Errorf("duplicate program %q", p.ID)
		}
		progIdx[p.ID] = i
		m.progIDs = append(m.progIDs, p.ID)
	}
	regionIdx := map[string]int{}
	for i, r := range in.Regions {
		if _, dup := regionIdx[r.ID]; dup {
			return nil, fmt.Errorf("duplicate region %q", r.ID)
		}
		if r.Cap < 0 {
			return nil, fmt.Errorf("region %q: negative cap %d", r.ID, r.Cap)
		}
		regionIdx[r.ID] = i
	}

	// Program orders, with each tie group sorted by the lottery.
	for _, p := range in.Programs {
		if p.Capacity < 0 {
			return nil, fmt.Errorf("program %q: negative capacity", p.ID)
		}
		rank := map[int]int{}
		place := func(id string) error {
			a, ok := appIdx[id]
			if !ok {
				return fmt.Errorf("program %q lists unknown applicant %q", p.ID, id)
			}
			if _, dup := rank[a]; dup {
				return fmt.Errorf("program %q lists %q twice", p.ID, id)
			}
			rank[a] = len(rank)
			return nil
		}
		for _, e := range p.Prefs {
			switch v := e.(type) {
			case string:
				if err := place(v); err != nil {
					return nil, err
				}
			case []any:
				group := make([]string, len(v))
				for i, g := range v {
					s, ok := g.(string)
					if !ok {
						return nil, fmt.Errorf("program %q: tie group holds %v", p.ID, g)
					}
					group[i] = s
				}
				slices.SortStableFunc(group, func(x, y string) int {
					lx, ly := engine.LotteryNumber(seed, x), engine.LotteryNumber(seed, y)
					switch {
					case lx < ly:
						return -1
					case lx > ly:
						return 1
					}
					return 0
				})
				for _, s := range group {
					if err := place(s); err != nil {
						return nil, err
					}
				}
			default:
				return nil, fmt.Errorf("program %q: prefs element %v", p.ID, e)
			}
		}
		m.rank = append(m.rank, rank)

		// The slot sequence.
		reserved := 0
		var resSlots []string
		for _, r := range p.Reserves {
			if r.Seats < 0 {
				return nil, fmt.Errorf("program %q: negative reserve", p.ID)
			}
			reserved += r.Seats
			for range r.Seats {
				resSlots = append(resSlots, r.Category)
			}
		}
		if reserved > p.Capacity {
			return nil, fmt.Errorf("program %q: reserves of %d seats beyond its capacity %d", p.ID, reserved, p.Capacity)
		}
		open := make([]string, p.Capacity-reserved)
		var slots []string
		switch p.ReserveOrder {
		case "", "last":
			slots = append(open, resSlots...)
		case "first":
			slots = append(resSlots, open...)
		default:
			return nil, fmt.Errorf("program %q: unknown reserveOrder %q", p.ID, p.ReserveOrder)
		}
		m.slots = append(m.slots, slots)
	}

	// Applicants' lists, keeping acceptable pairs only.
	for _, a := range in.Applicants {
		var list []int
		seen := map[int]bool{}
		for _, id := range a.Prefs {
			p, ok := progIdx[id]
			if !ok {
				return nil, fmt.Errorf("applicant %q lists unknown program %q", a.ID, id)
			}
			if seen[p] {
				return nil, fmt.Errorf("applicant %q lists %q twice", a.ID, id)
			}
			seen[p] = true
			if _, ok := m.rank[p][appIdx[a.ID]]; ok {
				list = append(list, p)
			}
		}
		m.appList = append(m.appList, list)
	}

	// Choosing units: one per region (programs in instance order), one per lone program.
	m.unitOf = make([]int, len(in.Programs))
	regionUnit := make([]int, len(in.Regions))
	for i, r := range in.Regions {
		regionUnit[i] = len(m.units)
		m.units = append(m.units, refUnit{cap: r.Cap})
	}
	for i, p := range in.Programs {
		target := p.Capacity
		if p.Target != nil {
			if *p.Target < 0 {
				return nil, fmt.Errorf("program %q: negative target %d", p.ID, *p.Target)
			}
			target = *p.Target
		}
		if p.Region == "" {
			m.unitOf[i] = len(m.units)
			m.units = append(m.units, refUnit{progs: []int{i}, targets: []int{p.Capacity}, cap: p.Capacity})
			continue
		}
		r, ok := regionIdx[p.Region]
		if !ok {
			return nil, fmt.Errorf("program %q: unknown region %q", p.ID, p.Region)
		}
		u := &m.units[regionUnit[r]]
		u.progs = append(u.progs, i)
		u.targets = append(u.targets, target)
		m.unitOf[i] = regionUnit[r]
	}
	for i, r := range in.Regions {
		sum := 0
		for _, t := range m.units[regionUnit[i]].targets {
			sum += t
		}
		if sum > r.Cap {
			return nil, fmt.Errorf("region %q: targets add up to %d, more than its cap %d", r.ID, sum, r.Cap)
		}
	}
	return m, nil
}

// picks runs program p's slots over its proposers and returns whom each slot takes, in
// slot order; it stops when the slots or the proposers run out.
func (m *refModel) picks(p int, proposers []int) []int {
	remaining := slices.Clone(proposers)
	slices.SortFunc(remaining, func(x, y int) int { return m.rank[p][x] - m.rank[p][y] })
	var out []int
	for _, slot := range m.slots[p] {
		if len(remaining) == 0 {
			break
		}
		take := 0 // best remaining of any kind
		if slot != "" {
			for i, a := range remaining {
				if m.cats[a][slot] {
					take = i
					break
				}
			}
		}
		out = append(out, remaining[take])
		remaining = slices.Delete(remaining, take, take+1)
	}
	return out
}

// choose is unit u's choice from props, each a proposal to one of its programs.
func (m *refModel) choose(u int, props []refPair) []refPair {
	unit := m.units[u]
	picks := make([][]int, len(unit.progs))
	for i, p := range unit.progs {
		var mine []int
		for _, pr := range props {
			if pr.p == p {
				mine = append(mine, pr.a)
			}
		}
		picks[i] = m.picks(p, mine)
	}
	// Phase one: each program up to its target.
	taken := make([]int, len(unit.progs))
	total := 0
	for i := range unit.progs {
		taken[i] = min(unit.targets[i], len(picks[i]))
		total += taken[i]
	}
	// Phase two: one slot at a time, programs in order, until the cap or no one is left.
	for more := true; more && total < unit.cap; {
		more = false
		for i := range unit.progs {
			if total == unit.cap {
				break
			}
			if taken[i] < len(picks[i]) {
				taken[i]++
				total++
				more = true
			}
		}
	}
	var out []refPair
	for i, p := range unit.progs {
		for _, a := range picks[i][:taken[i]] {
			out = append(out, refPair{a, p})
		}
	}
	return out
}

// solve runs applicant-proposing deferred acceptance. Which unmatched applicant proposes
// next is drawn from order, so two calls with different draws check that the result does
// not depend on the order of proposals. It returns each applicant's program or -1.
func (m *refModel) solve(order *rand.Rand) []int {
	match := make([]int, len(m.appIDs))
	next := make([]int, len(m.appIDs))
	held := make([][]refPair, len(m.units))
	var free []int
	for a := range m.appIDs {
		match[a] = -1
		free = append(free, a)
	}
	for len(free) > 0 {
		i := order.IntN(len(free))
		a := free[i]
		free[i] = free[len(free)-1]
		free = free[:len(free)-1]
		if next[a] == len(m.appList[a]) {
			continue // list exhausted: stays unmatched
		}
		p := m.appList[a][next[a]]
		next[a]++
		u := m.unitOf[p]
		props := append(slices.Clone(held[u]), refPair{a, p})
		chosen := m.choose(u, props)
		held[u] = chosen
		for _, pr := range props {
			if slices.Contains(chosen, pr) {
				match[pr.a] = pr.p
			} else {
				match[pr.a] = -1
				free = append(free, pr.a)
			}
		}
	}
	return match
}

// heldBy returns the pairs of match that unit u holds.
func (m *refModel) heldBy(u int, match []int) []refPair {
	var out []refPair
	for a, p := range match {
		if p >= 0 && m.unitOf[p] == u {
			out = append(out, refPair{a, p})
		}
	}
	return out
}

// blockingPairs is the reference's own stability check of match (DESIGN.md §5): it fails
// when a pair is unacceptable or a chooser would not keep all it holds, and otherwise
// counts the applicants and programs where the applicant prefers the program and the
// program's chooser would take them from what it holds plus them.
func (m *refModel) blockingPairs(match []int) (int, error) {
	for a, p := range match {
		if p >= 0 && !slices.Contains(m.appList[a], p) {
			return 0, fmt.Errorf("%s matched to %s, which is not an acceptable pair", m.appIDs[a], m.progIDs[p])
		}
	}
	for u := range m.units {
		held := m.heldBy(u, match)
		if kept := m.choose(u, held); len(kept) != len(held) {
			return 0, fmt.Errorf("the chooser of %v keeps %d of the %d applicants it holds", m.unitProgIDs(u), len(kept), len(held))
		}
	}
	blocking := 0
	for a, list := range m.appList {
		for _, p := range list {
			if p == match[a] {
				break
			}
			u := m.unitOf[p]
			props := append(m.heldBy(u, match), refPair{a, p})
			if slices.Contains(m.choose(u, props), refPair{a, p}) {
				blocking++
			}
		}
	}
	return blocking, nil
}

func (m *refModel) unitProgIDs(u int) []string {
	var ids []string
	for _, p := range m.units[u].progs {
		ids = append(ids, m.progIDs[p])
	}
	return ids
}

// refOutcome is a matching by ids: each matched applicant's program.
type refOutcome map[string]string

func (m *refModel) outcome(match []int) refOutcome {
	out := refOutcome{}
	for a, p := range match {
		if p >= 0 {
			out[m.appIDs[a]] = m.progIDs[p]
		}
	}
	return out
}

// refSolveJSON parses, prepares and solves an instance, checks the result is stable by
// the reference's own definition and that a second proposal order gives the same result.
func refSolveJSON(data []byte, seed uint64, orderSeed uint64) (refOutcome, error) {
	in, err := refParse(data)
	if err != nil {
		return nil, err
	}
	m, err := refPrepare(in, seed)
	if err != nil {
		return nil, err
	}
	first := m.solve(rand.New(rand.NewPCG(orderSeed, 1)))
	second := m.solve(rand.New(rand.NewPCG(orderSeed, 2)))
	if !slices.Equal(first, second) {
		return nil, fmt.Errorf("reference bug: two proposal orders gave %v and %v", m.outcome(first), m.outcome(second))
	}
	bp, err := m.blockingPairs(first)
	if err != nil {
		return nil, fmt.Errorf("reference bug: %v", err)
	}
	if bp != 0 {
		return nil, fmt.Errorf("reference bug: its own result has %d blocking pairs: %v", bp, m.outcome(first))
	}
	return m.outcome(first), nil
}
