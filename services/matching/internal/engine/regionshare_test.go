package engine

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// regionShare replays the region's rule literally: how many applicants region reg lets program p take when p has one
// proposer more than it holds, the others holding what they hold: every program first
// takes up to its target, then one seat at a time in the listed order, until the cap.
func regionShare(in *Instance, reg Region, members [][]int, p int) int {
	var s regionScratch
	return s.share(in, reg, members, p)
}

// regionScratch holds regionShare's working lists between calls.
type regionScratch struct {
	can, take, active []int
}

func (s *regionScratch) share(in *Instance, reg Region, members [][]int, p int) int {
	n := len(reg.Programs)
	s.can, s.take = slices.Grow(s.can[:0], n)[:n], slices.Grow(s.take[:0], n)[:n]
	can, take := s.can, s.take // seats each program could fill, and those it gets
	total := 0
	share := 0
	for i, q := range reg.Programs {
		held := len(members[q])
		if q == p {
			share = i
			held++
		}
		prog := &in.Programs[q]
		can[i] = min(held, prog.Capacity)
		goal := prog.Capacity
		if prog.Target != nil {
			goal = *prog.Target
		}
		take[i] = min(goal, can[i])
		total += take[i]
	}
	// Round-robin: each pass visits, in the listed order, the programs that can still
	// take someone; a program that cannot drops out of later passes.
	active := s.active[:0]
	for i := range take {
		if take[i] < can[i] {
			active = append(active, i)
		}
	}
	for total < reg.Cap && len(active) > 0 {
		still := active[:0]
		for _, i := range active {
			if total == reg.Cap {
				break
			}
			take[i]++
			total++
			if take[i] < can[i] {
				still = append(still, i)
			}
		}
		active = still
	}
	s.active = active
	return take[share]
}

// regionShares, the checker's closed form, agrees with replaying the rule seat by seat, on
// random regions from empty to over-full.
func TestRegionSharesLiteral(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for i := range 3000 {
		n := 1 + r.IntN(8)
		in := &Instance{Programs: make([]Program, n)}
		members := make([][]int, n)
		reg := Region{ID: "r"}
		targets := 0
		for p := range n {
			in.Programs[p].ID = "p" + string(rune('0'+p))
			in.Programs[p].Capacity = r.IntN(6)
			if r.IntN(2) == 0 {
				t := r.IntN(in.Programs[p].Capacity + 2)
				in.Programs[p].Target = &t
			}
			targets += in.Programs[p].target()
			members[p] = make([]int, r.IntN(in.Programs[p].Capacity+1))
			reg.Programs = append(reg.Programs, p)
		}
		reg.Cap = targets + r.IntN(10)
		if err := (&Instance{Programs: in.Programs, Regions: []Region{reg}}).Validate(); err != nil {
			t.Fatal(err)
		}
		held := 0
		for _, m := range members {
			held += len(m)
		}
		if held > reg.Cap {
			continue // not a matching the region could have chosen
		}
		want := make([]int, n)
		for p := range n {
			want[p] = regionShare(in, reg, members, p)
		}
		if got := regionShares(in, reg, func(p int) int { return len(members[p]) }); !slices.Equal(got, want) {
			t.Fatalf("case %d: regionShares = %v, literal %v (cap %d, programs %+v, held %v)", i, got, want, reg.Cap, in.Programs, members)
		}
	}
}
