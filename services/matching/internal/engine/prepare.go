package engine

import "slices"

// prepared is an instance flattened for the solvers: every list lives in one int32 array
// addressed by offsets, ties are broken, and each list entry already knows how the other
// side ranks it, so proposing is array indexing only.
type prepared struct {
	nA, nP int

	// Applicant a's list is aProg[aOff[a]:aOff[a+1]]. aRank[i] is the applicant's position
	// in program aProg[i]'s broken order, or -1 when that program does not list them.
	aOff, aProg, aRank []int32

	// Program p's broken order is pApp[pOff[p]:pOff[p+1]], so a position in it is also an
	// index into pApp. pRank[g] is the program's position in applicant pApp[g]'s list, or
	// -1 when the applicant does not list it; it is filled only for program proposing.
	pOff, pApp, pRank []int32

	// seats[p] is the capacity, cut to the list length: a program cannot hold more
	// applicants than it lists, and the cut keeps heap storage proportional to the input.
	seats []int32
}

// prepare flattens a valid instance. needPRank asks for pRank as well.
func prepare(in *Instance, needPRank bool) *prepared {
	nA, nP := len(in.Applicants), len(in.Programs)
	pr := &prepared{nA: nA, nP: nP}

	// The applicants' lists are flattened on a second core while the programs' are.
	done := make(chan struct{})
	go func() {
		defer close(done)
		pr.aOff = make([]int32, nA+1)
		for a, ap := range in.Applicants {
			pr.aOff[a+1] = pr.aOff[a] + int32(len(ap.Prefs))
		}
		pr.aProg = make([]int32, pr.aOff[nA])
		for a, ap := range in.Applicants {
			list := pr.aProg[pr.aOff[a]:pr.aOff[a+1]]
			for k, p := range ap.Prefs {
				list[k] = int32(p)
			}
		}
	}()

	draws := lotteryDraws(in)
	pr.pOff = make([]int32, nP+1)
	pr.seats = make([]int32, nP)
	for p, pp := range in.Programs {
		pr.pOff[p+1] = pr.pOff[p] + int32(len(pp.Prefs))
		pr.seats[p] = int32(min(pp.Capacity, len(pp.Prefs)))
	}
	pr.pApp = make([]int32, pr.pOff[nP])
	for p, pp := range in.Programs {
		order := pr.pApp[pr.pOff[p]:pr.pOff[p+1]]
		for k, a := range pp.Prefs {
			order[k] = int32(a)
		}
		if pp.Ranks != nil {
			sortGroups(order, pp.Ranks, func(a int32) int { return int(a) }, draws)
		}
	}

	<-done
	pr.crossRanks(needPRank)
	return pr
}

// crossRanks fills aRank (and pRank) in time linear in the total list length.
//
// Program entries are bucketed by applicant with a counting sort. Then, one applicant at a
// time, the programs that list them are stamped into an array indexed by program, and a
// walk down the applicant's own list reads each program's rank of them from the stamps.
// The stamp array has one slot per program, small enough to stay in cache.
func (pr *prepared) crossRanks(needPRank bool) {
	nA, nP := pr.nA, pr.nP
	// The two halves of the programs (by entries) are bucketed on two cores: the first
	// half's entries fill the front of each applicant's bucket and the second half's the
	// back, so the two never write the same place. Order within a bucket does not matter.
	midP, _ := slices.BinarySearch(pr.pOff, pr.pOff[nP]/2)
	halves := [2][2]int{{0, midP}, {midP, nP}}
	var next [2][]int32 // per half: count of each applicant's entries, then where the next goes
	twoCores(func(h int) {
		cnt := make([]int32, nA)
		for _, a := range pr.pApp[pr.pOff[halves[h][0]]:pr.pOff[halves[h][1]]] {
			cnt[a]++
		}
		next[h] = cnt
	})
	bOff := make([]int32, nA+1)
	for a := range nA {
		c0 := next[0][a]
		bOff[a+1] = bOff[a] + c0 + next[1][a]
		next[0][a], next[1][a] = bOff[a], bOff[a]+c0
	}
	// bucket[t] = p<<32 | g: program p has the applicant at global position g. Packing both
	// into one word makes the scattered writes of this counting sort hit one cache line.
	bucket := make([]uint64, len(pr.pApp))
	twoCores(func(h int) {
		nx := next[h]
		for p := halves[h][0]; p < halves[h][1]; p++ {
			for g := pr.pOff[p]; g < pr.pOff[p+1]; g++ {
				a := pr.pApp[g]
				bucket[nx[a]] = uint64(p)<<32 | uint64(g)
				nx[a]++
			}
		}
	})

	pr.aRank = make([]int32, len(pr.aProg))
	if needPRank {
		pr.pRank = make([]int32, len(pr.pApp))
	}
	// Applicants write only their own entries of aRank and pRank, so the two halves of
	// them run on two cores, each with its own scratch arrays.
	mid := nA / 2
	done := make(chan struct{})
	go func() {
		defer close(done)
		pr.crossRanksOf(0, mid, bOff, bucket, needPRank)
	}()
	pr.crossRanksOf(mid, nA, bOff, bucket, needPRank)
	<-done
}

// crossRanksOf fills aRank (and pRank) for applicants lo…hi-1 from the bucketed entries.
func (pr *prepared) crossRanksOf(lo, hi int, bOff []int32, bucket []uint64, needPRank bool) {
	posAt := make([]int32, pr.nP) // 1 + this applicant's position in program p's order; 0 = not listed
	var listAt []int32            // 1 + program p's position in this applicant's list
	if needPRank {
		listAt = make([]int32, pr.nP)
	}
	for a := lo; a < hi; a++ {
		mine := bucket[bOff[a]:bOff[a+1]]
		for _, e := range mine {
			p, g := int32(e>>32), int32(uint32(e))
			posAt[p] = g - pr.pOff[p] + 1
		}
		first, last := pr.aOff[a], pr.aOff[a+1]
		for i := first; i < last; i++ {
			p := pr.aProg[i]
			pr.aRank[i] = posAt[p] - 1
			if needPRank {
				listAt[p] = i - first + 1
			}
		}
		for _, e := range mine {
			p, g := int32(e>>32), int32(uint32(e))
			posAt[p] = 0
			if needPRank {
				pr.pRank[g] = listAt[p] - 1
			}
		}
		if needPRank {
			for i := first; i < last; i++ {
				listAt[pr.aProg[i]] = 0
			}
		}
	}
}
