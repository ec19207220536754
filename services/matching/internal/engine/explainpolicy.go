package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
)

const (
	// ReasonRegionCap: the program had a free seat, but its region had reached its cap and
	// the region's rule gave the remaining seats to other programs.
	ReasonRegionCap ReasonCode = "region_cap"
	// ReasonReserved: a seat the applicant would otherwise have had is reserved for a
	// category they are not in, and went to someone in it.
	ReasonReserved ReasonCode = "reserved"
)

// ReserveUse says how one reserve of a program was used in a matching.
type ReserveUse struct {
	Category string
	Seats    int
	// ToCategory seats went to applicants in the category; Reverted seats, finding none
	// left, went to the best remaining applicant of any kind. The rest stayed empty.
	ToCategory, Reverted int
}

// ProgramReserves is the use of every reserve of one program.
type ProgramReserves struct {
	Program  int
	Reserves []ReserveUse
}

// RegionUse says how full a region is.
type RegionUse struct {
	Region int // index into Instance.Regions
	Filled int
}

// slotFill is the choice rule of one program, for explanations: it fills up to seats of
// prog's slots from pool (sorted best first) and returns who each slot took and the
// category the slot was reserved for ("" for an open slot).
func slotFill(prog *Program, apps []Applicant, pool []int, seats int) (took []int, cats []string) {
	var slots []string
	reserved := 0
	for _, r := range prog.Reserves {
		reserved += r.Seats
	}
	if prog.ReserveOrder == ReservesLast {
		slots = make([]string, max(0, prog.Capacity-reserved))
	}
	for _, r := range prog.Reserves {
		for range r.Seats {
			slots = append(slots, r.Category)
		}
	}
	if prog.ReserveOrder == ReservesFirst {
		slots = append(slots, make([]string, max(0, prog.Capacity-reserved))...)
	}
	left := slices.Clone(pool)
	for _, cat := range slots {
		if len(took) == seats || len(left) == 0 {
			break
		}
		k := 0
		if cat != "" {
			if i := slices.IndexFunc(left, func(a int) bool { return slices.Contains(apps[a].Categories, cat) }); i >= 0 {
				k = i
			}
		}
		took, cats = append(took, left[k]), append(cats, cat)
		left = slices.Delete(left, k, k+1)
	}
	return took, cats
}

// policyView is what explanations under policies need about a matching.
type policyView struct {
	members   [][]int   // each program's applicants, best first in the broken order
	memberPos [][]int32 // their positions in that order
	seatsWith []int     // seats a program may fill with one more proposer (see checkPolicies)
	regionOf  []int     // region index, or -1
	// outcome caches a program's decision about an applicant it does not take, which
	// depends only on how many it holds above them and their reserved categories.
	outcome map[[3]int]policyOutcome
}

type policyOutcome struct {
	code     ReasonCode
	category string // for ReasonReserved
}

func newPolicyView(in *Instance, m *Matching, pr *prepared) *policyView {
	v := &policyView{
		members: make([][]int, pr.nP), memberPos: make([][]int32, pr.nP),
		seatsWith: make([]int, pr.nP), regionOf: make([]int, pr.nP),
		outcome: map[[3]int]policyOutcome{},
	}
	type member struct {
		a   int
		pos int32
	}
	byProg := make([][]member, pr.nP)
	for a, p := range m.ProgramOf {
		if p == Unmatched {
			continue
		}
		k := slices.Index(pr.pApp[pr.pOff[p]:pr.pOff[p+1]], int32(a))
		if k < 0 {
			k = int(pr.pOff[p+1]-pr.pOff[p]) + a // unlisted: below everyone listed
		}
		byProg[p] = append(byProg[p], member{a, int32(k)})
	}
	for p, ms := range byProg {
		slices.SortFunc(ms, func(x, y member) int { return cmp.Compare(x.pos, y.pos) })
		for _, x := range ms {
			v.members[p] = append(v.members[p], x.a)
			v.memberPos[p] = append(v.memberPos[p], x.pos)
		}
		v.seatsWith[p] = min(len(ms)+1, in.Programs[p].Capacity)
		v.regionOf[p] = -1
	}
	for r, reg := range in.Regions {
		for k, share := range regionShares(in, reg, func(p int) int { return len(v.members[p]) }) {
			v.regionOf[reg.Programs[k]] = r
			v.seatsWith[reg.Programs[k]] = share
		}
	}
	return v
}

// policyReason fills r's code and text for applicant a and program p under policies; r
// already has the ranks. pos is a's position in p's broken order.
func (v *policyView) policyReason(in *Instance, pr *prepared, a, p int, pos int32, r *Reason) {
	prog := &in.Programs[p]
	held := v.members[p]
	if v.seatsWith[p] <= len(held) && len(held) < prog.Capacity {
		reg := in.Regions[v.regionOf[p]]
		r.Code, r.Region, r.RegionCap = ReasonRegionCap, reg.ID, reg.Cap
		r.Text = "region " + reg.ID + " reached its cap of " + strconv.Itoa(reg.Cap) + "; " + prog.ID + " could not take another applicant"
		return
	}
	k, _ := slices.BinarySearch(v.memberPos[p], pos)
	mask := 0
	for i, res := range prog.Reserves {
		if res.Seats > 0 && slices.Contains(in.Applicants[a].Categories, res.Category) {
			mask |= 1 << (i % 62)
		}
	}
	key := [3]int{p, k, mask}
	out, known := v.outcome[key]
	if !known || len(prog.Reserves) > 62 {
		out = decide(prog, in.Applicants, held, a, k, v.seatsWith[p])
		v.outcome[key] = out
	}
	switch out.code {
	case ReasonBlocking:
		r.Code = ReasonBlocking
		r.Text = prog.ID + " would choose you over what it holds; this pair blocks the matching"
		return
	case ReasonReserved:
		r.Code, r.Category, r.ReservedSeats = ReasonReserved, out.category, reservedFor(prog, out.category)
		r.Text = "the " + seatCount(r.ReservedSeats) + " of " + prog.ID + " reserved for " + out.category +
			" went to applicants in that category; you are not in it"
		return
	}
	r.Code = ReasonFilled
	if len(prog.Reserves) == 0 {
		return // the plain sentence
	}
	text := prog.ID + ": open seats filled with applicants ranked higher"
	for _, res := range prog.Reserves {
		if res.Seats > 0 && slices.Contains(in.Applicants[a].Categories, res.Category) {
			text += "; the " + seatCount(res.Seats) + " reserved for " + res.Category + " went to applicants the program ranked higher"
		}
	}
	r.Text = text + "; you were ranked " + strconv.Itoa(r.YourRank)
}

// decide runs program prog's slots over held plus a, who ranks below k of them: a taken
// means a blocking pair; else a reserved slot that took someone ranked below a decided,
// or, failing that, the seats were filled by applicants ranked higher.
func decide(prog *Program, apps []Applicant, held []int, a, k, seats int) policyOutcome {
	if len(prog.Reserves) == 0 {
		if k < seats {
			return policyOutcome{code: ReasonBlocking}
		}
		return policyOutcome{code: ReasonFilled}
	}
	pool := slices.Insert(slices.Clone(held), k, a)
	took, cats := slotFill(prog, apps, pool, seats)
	if slices.Contains(took, a) {
		return policyOutcome{code: ReasonBlocking}
	}
	for i, x := range took {
		if cats[i] != "" && slices.Index(pool, x) > k {
			return policyOutcome{code: ReasonReserved, category: cats[i]}
		}
	}
	return policyOutcome{code: ReasonFilled}
}

func reservedFor(prog *Program, cat string) int {
	n := 0
	for _, r := range prog.Reserves {
		if r.Category == cat {
			n += r.Seats
		}
	}
	return n
}

func seatCount(n int) string {
	if n == 1 {
		return "1 seat"
	}
	return strconv.Itoa(n) + " seats"
}

// ExplainPolicies reports, for a matching of in, how each program's reserves were used
// (programs without reserves are left out) and how full each region is.
func ExplainPolicies(in *Instance, m *Matching) ([]ProgramReserves, []RegionUse, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, fmt.Errorf("explain policies: %w", err)
	}
	if err := checkMatching(in, m); err != nil {
		return nil, nil, fmt.Errorf("explain policies: %w", err)
	}
	if m.Seed != in.Seed {
		return nil, nil, fmt.Errorf("explain policies: %w: matching has seed %d, instance %d", ErrMismatch, m.Seed, in.Seed)
	}
	pr := prepare(in, false)
	v := newPolicyView(in, m, pr)
	var progs []ProgramReserves
	for p := range in.Programs {
		prog := &in.Programs[p]
		if len(prog.Reserves) == 0 {
			continue
		}
		use := make([]ReserveUse, len(prog.Reserves))
		for k, r := range prog.Reserves {
			use[k] = ReserveUse{Category: r.Category, Seats: r.Seats}
		}
		took, cats := slotFill(prog, in.Applicants, v.members[p], len(v.members[p]))
		// Slots reserved for a category are credited to its reserves in order listed.
		next := make([]int, len(use))
		for i, x := range took {
			if cats[i] == "" {
				continue
			}
			for k := range use {
				if use[k].Category == cats[i] && next[k] < use[k].Seats {
					next[k]++
					if slices.Contains(in.Applicants[x].Categories, cats[i]) {
						use[k].ToCategory++
					} else {
						use[k].Reverted++
					}
					break
				}
			}
		}
		progs = append(progs, ProgramReserves{Program: p, Reserves: use})
	}
	regions := make([]RegionUse, len(in.Regions))
	for r, reg := range in.Regions {
		regions[r].Region = r
		for _, p := range reg.Programs {
			regions[r].Filled += len(v.members[p])
		}
	}
	return progs, regions, nil
}
