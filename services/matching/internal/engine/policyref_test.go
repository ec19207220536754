package engine_test

import (
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// This file restates the allocation policies of DESIGN.md §5 as literally as possible,
// sharing nothing with the engine: a program's slots are spelled out one by one, a region
// hands out seats one at a time, and deferred acceptance is the cumulative-offer process
// in which every applicant without a seat makes their next offer at once. The tests
// compare the engine with it.

// refSlots spells out program p's slots: "" for an open slot, else the reserved category.
func refSlots(prog *engine.Program) []string {
	reserved := 0
	var res []string
	for _, r := range prog.Reserves {
		for range r.Seats {
			res = append(res, r.Category)
		}
		reserved += r.Seats
	}
	open := make([]string, prog.Capacity-reserved)
	if prog.ReserveOrder == engine.ReservesFirst {
		return append(res, open...)
	}
	return append(open, res...)
}

// refPicks is whom program p's slots take from pool, in slot order, as long as anyone is
// left. in must have strict orders.
func refPicks(in *engine.Instance, p int, pool []int) []int {
	prog := &in.Programs[p]
	left := slices.Clone(pool)
	slices.SortFunc(left, func(x, y int) int { return slices.Index(prog.Prefs, x) - slices.Index(prog.Prefs, y) })
	var picks []int
	for _, cat := range refSlots(prog) {
		if len(left) == 0 {
			break
		}
		k := 0 // best left; for a reserved slot, the best left with the category if any
		if cat != "" {
			if i := slices.IndexFunc(left, func(a int) bool { return slices.Contains(in.Applicants[a].Categories, cat) }); i >= 0 {
				k = i
			}
		}
		picks = append(picks, left[k])
		left = slices.Delete(left, k, k+1)
	}
	return picks
}

// refChoose is every chooser's choice from offers (offers[p] are the applicants offering
// themselves to program p): chosen[p] are those p keeps.
func refChoose(in *engine.Instance, offers [][]int) [][]int {
	chosen := make([][]int, len(in.Programs))
	inRegion := make([]bool, len(in.Programs))
	for _, reg := range in.Regions {
		picks := make([][]int, len(reg.Programs))
		take := make([]int, len(reg.Programs))
		total := 0
		for i, p := range reg.Programs {
			inRegion[p] = true
			picks[i] = refPicks(in, p, offers[p])
			goal := in.Programs[p].Capacity
			if t := in.Programs[p].Target; t != nil {
				goal = *t
			}
			take[i] = min(goal, len(picks[i]))
			total += take[i]
		}
		for more := true; more && total < reg.Cap; {
			more = false
			for i := range take {
				if total < reg.Cap && take[i] < len(picks[i]) {
					take[i]++
					total++
					more = true
				}
			}
		}
		for i, p := range reg.Programs {
			chosen[p] = picks[i][:take[i]]
		}
	}
	for p := range in.Programs {
		if !inRegion[p] {
			chosen[p] = refPicks(in, p, offers[p])
		}
	}
	return chosen
}

// refPolicyMatch is the cumulative-offer process on in with ties broken by the lottery:
// each step, every applicant nobody holds offers themselves to the next program on their
// list that lists them; the choosers then choose from all offers made so far.
func refPolicyMatch(in *engine.Instance) []int {
	in = engine.BreakTies(in)
	offers := make([][]int, len(in.Programs))
	next := make([]int, len(in.Applicants))
	programOf := make([]int, len(in.Applicants))
	for a := range programOf {
		programOf[a] = engine.Unmatched
	}
	for {
		offered := false
		for a, app := range in.Applicants {
			if programOf[a] != engine.Unmatched {
				continue
			}
			for next[a] < len(app.Prefs) {
				p := app.Prefs[next[a]]
				next[a]++
				if slices.Contains(in.Programs[p].Prefs, a) {
					offers[p] = append(offers[p], a)
					offered = true
					break
				}
			}
		}
		if !offered {
			return programOf
		}
		for a := range programOf {
			programOf[a] = engine.Unmatched
		}
		for p, keep := range refChoose(in, offers) {
			for _, a := range keep {
				if programOf[a] != engine.Unmatched {
					panic("an applicant chosen twice: the choice rules are not substitutable")
				}
				programOf[a] = p
			}
		}
	}
}
