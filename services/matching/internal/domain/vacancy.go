package domain

// VacancyPolicy is the policy a vacancy round inherits from the round it
// offers the leftovers of (DESIGN.md §5; the rule is written out in
// docs/ROUNDS.md):
//
//   - each region keeps its id, name and order; its cap is lowered by the
//     seats the parent's live matches (accepted offers, and offers not yet
//     answered) hold at its programs, down to 0;
//   - it holds those of its programs that still have seats in the vacancy
//     round (left[p] > 0), in the same order; a region left with none is
//     dropped;
//   - a program's explicit target is lowered by the seats it holds and
//     kept within its seats left; then, in the region's order, every
//     target (an explicit one, or the seats left by default) is clipped
//     to what the lowered cap still has room for, so the targets never add
//     up to more than the cap. A default target that needs no clipping
//     stays implicit.
//
// Reserves are not part of the policy: they stay on the programs and a
// run keeps them within each program's seats left, in their order.
// held[p] is the seats program p's live matches hold in the parent; left[p]
// the program's seats in the vacancy round. No policy is nil.
func VacancyPolicy(parent *Policy, held, left map[string]int) *Policy {
	if parent.Empty() {
		return nil
	}
	out := &Policy{}
	for _, r := range parent.Regions {
		used := 0
		for _, id := range r.ProgramIDs {
			used += held[id]
		}
		v := Region{ID: r.ID, Name: r.Name, Cap: max(0, r.Cap-used)}
		room := v.Cap
		for _, id := range r.ProgramIDs {
			seats := left[id]
			if seats <= 0 {
				continue
			}
			v.ProgramIDs = append(v.ProgramIDs, id)
			t, explicit := r.Targets[id]
			if explicit {
				t = min(max(0, t-held[id]), seats)
			} else {
				t = seats
			}
			t = min(t, room)
			room -= t
			if explicit || t < seats {
				if v.Targets == nil {
					v.Targets = map[string]int{}
				}
				v.Targets[id] = t
			}
		}
		if len(v.ProgramIDs) > 0 {
			out.Regions = append(out.Regions, v)
		}
	}
	if len(out.Regions) == 0 {
		return nil
	}
	return out
}
