package engine

// regionShares says, for each program of region reg (in its order), how many applicants
// the region's rule lets it take when it has one proposer more than it holds, the others
// holding what they hold (held(p) is how many applicants program p holds). It is the
// checker's and the explanations' reading of the rule, kept apart from the solver's.
//
// Taking each program in turn and replaying the round-robin would cost the region's size
// squared. Instead: with held counts n, a program first takes b = min(target, n') of its
// n' = min(n, capacity) and is a candidate for d = n' - b round-robin seats, its j-th at
// position (round j, its place); the region hands out the first R = cap - Σb positions.
// One more proposer at p either raises b (a target seat, always granted) or adds p's
// candidate (d+1, p), granted when fewer than R candidates come before it: Σ min(d_q, d)
// over all programs, plus the programs listed before p with d_q > d. A running count by d
// (a Fenwick tree) gives the second term in order, so the whole region costs
// O(programs × log seats).
func regionShares(in *Instance, reg Region, held func(p int) int) []int {
	n := len(reg.Programs)
	heldBy := make([]int, n)
	base := make([]int, n)  // b
	extra := make([]int, n) // d
	rest := reg.Cap         // R
	maxExtra := 0
	for k, p := range reg.Programs {
		prog := &in.Programs[p]
		heldBy[k] = held(p)
		can := min(heldBy[k], prog.Capacity)
		goal := prog.Capacity
		if prog.Target != nil {
			goal = *prog.Target
		}
		base[k] = min(goal, can)
		extra[k] = can - base[k]
		rest -= base[k]
		maxExtra = max(maxExtra, extra[k])
	}
	// upTo[j] = Σ_q min(d_q, j), from atLeast[j] = #{q : d_q >= j}.
	atLeast := make([]int, maxExtra+2)
	for _, d := range extra {
		atLeast[d]++
	}
	for j := maxExtra; j >= 0; j-- {
		atLeast[j] += atLeast[j+1]
	}
	upTo := make([]int, maxExtra+2)
	for j := 1; j <= maxExtra+1; j++ {
		upTo[j] = upTo[j-1] + atLeast[j]
	}

	tree := make([]int, maxExtra+2) // Fenwick tree over d+1: programs seen so far
	seen := 0
	shares := make([]int, n)
	for k, p := range reg.Programs {
		prog := &in.Programs[p]
		goal := prog.Capacity
		if prog.Target != nil {
			goal = *prog.Target
		}
		can := min(heldBy[k], prog.Capacity)
		more := min(heldBy[k]+1, prog.Capacity)
		d := extra[k]
		switch {
		case more == can: // full: one more proposer changes nothing
			shares[k] = base[k] + d
		case more <= goal: // a target seat
			shares[k] = more
		default:
			// Earlier programs with d_q > d: those seen minus those with d_q <= d.
			notAbove := 0
			for i := d + 1; i > 0; i -= i & -i {
				notAbove += tree[i]
			}
			if upTo[d]+seen-notAbove < rest {
				shares[k] = more
			} else {
				shares[k] = base[k] + d
			}
		}
		for i := d + 1; i < len(tree); i += i & -i {
			tree[i]++
		}
		seen++
	}
	return shares
}
