package engine

import (
	"cmp"
	"slices"
)

// LotteryNumber is the applicant's draw in the lottery for seed; within a tie group of a
// program's order, lower numbers come first.
//
// The lottery is a single draw per applicant used at every program ("single tie-breaking"),
// not a fresh draw per program. Studies of school-choice matches (NYC high schools) found
// single tie-breaking gives more applicants their top choices than a lottery per program,
// and one number per person is easy to state and check.
//
// The number depends only on the seed and the applicant's id — FNV-1a over the id bytes,
// started from a scrambled seed and finished with the SplitMix64 mixer — so it does not
// change when the input is reordered or other applicants are added or removed (as when a
// re-run keeps accepted matches fixed). It is a fair, reproducible draw, not a secret one:
// choose the seed after rank lists are final. Equal numbers, which need a 64-bit collision,
// fall back to input order.
func LotteryNumber(seed uint64, id string) uint64 {
	h := mix64(seed + 0x9e3779b97f4a7c15)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 0x100000001b3 // FNV-1a 64-bit prime
	}
	return mix64(h ^ uint64(len(id)))
}

// mix64 is SplitMix64's output function: every input bit affects every output bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// BreakTies returns a copy of in whose programs' orders are strict: each tie group is put in
// lottery order and Ranks is nil. Solve behaves as if it were given this instance. The copy
// shares applicants and notes with in.
func BreakTies(in *Instance) *Instance {
	out := *in
	out.Programs = make([]Program, len(in.Programs))
	draws := lotteryDraws(in)
	for i, p := range in.Programs {
		q := p
		q.Ranks = nil
		q.Prefs = slices.Clone(p.Prefs)
		if p.Ranks != nil {
			sortGroups(q.Prefs, p.Ranks, func(a int) int { return a }, draws)
		}
		out.Programs[i] = q
	}
	return &out
}

// lotteryDraws returns every applicant's LotteryNumber, or nil when no program has ties.
func lotteryDraws(in *Instance) []uint64 {
	if !slices.ContainsFunc(in.Programs, func(p Program) bool { return p.Ranks != nil }) {
		return nil
	}
	draws := make([]uint64, len(in.Applicants))
	for a := range in.Applicants {
		draws[a] = LotteryNumber(in.Seed, in.Applicants[a].ID)
	}
	return draws
}

// sortGroups orders each run of equal ranks in order by lottery draw, then applicant index.
// idx maps an element of order to its applicant index.
func sortGroups[T any](order []T, ranks []int, idx func(T) int, draws []uint64) {
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && ranks[end] == ranks[start] {
			end++
		}
		if end-start > 1 {
			slices.SortFunc(order[start:end], func(x, y T) int {
				a, b := idx(x), idx(y)
				return cmp.Or(cmp.Compare(draws[a], draws[b]), cmp.Compare(a, b))
			})
		}
		start = end
	}
}
