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
	var c Certificate
	if err := in.Validate(); err != nil {
		return c, fmt.Errorf("check: %w", err)
	}
	if err := checkMatching(in, m); err != nil {
		return c, fmt.Errorf("check: %w", err)
	}
	if in.HasPolicies() {
		return checkPolicies(in, m), nil
	}

	// For each applicant: does their list contain their program, and which programs do
	// they list above it? Those candidates are grouped by program for the pass below.
	members := make([][]int, len(in.Programs))
	listsOwn := make([]bool, len(in.Applicants))
	wanted := make([][]int, len(in.Programs))
	for a, app := range in.Applicants {
		p := m.ProgramOf[a]
		above := app.Prefs
		if p != Unmatched {
			members[p] = append(members[p], a)
			if k := slices.Index(app.Prefs, p); k >= 0 {
				listsOwn[a] = true
				above = app.Prefs[:k]
			}
		}
		for _, q := range above {
			wanted[q] = append(wanted[q], a)
		}
	}

	// One program at a time: mark the applicants it lists with their stated rank, then
	// compare each one who wants it against the weakest applicant it got.
	listedBy := make([]int, len(in.Applicants)) // program index + 1 that lists a, this pass
	rank := make([]int, len(in.Applicants))
	for p, prog := range in.Programs {
		for k, a := range prog.Prefs {
			listedBy[a] = p + 1
			rank[a] = k
			if prog.Ranks != nil {
				rank[a] = prog.Ranks[k]
			}
		}
		listed := func(a int) bool { return listedBy[a] == p+1 }

		if len(members[p]) > prog.Capacity {
			c.OverCapacity++
		}
		weakest := -1
		unlistedMember := false
		for _, a := range members[p] {
			if !listsOwn[a] || !listed(a) {
				c.Unacceptable++
			}
			if listed(a) {
				weakest = max(weakest, rank[a])
			} else {
				unlistedMember = true
			}
		}
		for _, a := range wanted[p] {
			if !listed(a) {
				continue
			}
			hasRoom := len(members[p]) < prog.Capacity
			// A program prefers anyone it lists to someone it does not list.
			prefersA := unlistedMember || (len(members[p]) > 0 && rank[a] < weakest)
			if hasRoom || prefersA {
				c.BlockingPairs++
			}
		}
	}
	return c, nil
}
