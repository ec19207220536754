package enginetest

import (
	"math/rand/v2"
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// PolicyOptions shape the reserves and regions AddPolicies gives an instance.
type PolicyOptions struct {
	// Categories are the names applicants may belong to; each applicant joins each one
	// with chance CategoryProb.
	Categories   []string
	CategoryProb float64
	// ReserveProb is the chance that a program reserves seats: one to two reserves, each
	// for a random category and up to half its seats. FirstProb is the chance that such a
	// program fills its reserved seats first.
	ReserveProb, FirstProb float64
	// Regions is how many regions there are; each program joins one with chance
	// RegionProb. A region's cap is CapFraction of its programs' seats (rounded down),
	// and each program names an explicit target with chance TargetProb; targets are
	// lowered, when needed, so that they fit the cap.
	Regions                             int
	RegionProb, CapFraction, TargetProb float64
}

// NRMPPolicies are the policies of the NRMP-size benchmarks: 12 regions holding every
// program, each capped at 85 % of its programs' seats, half the programs with a target
// of their own, and reserves for three categories on 60 % of programs.
var NRMPPolicies = PolicyOptions{
	Categories: []string{"women", "first_generation", "rural"}, CategoryProb: 0.25,
	ReserveProb: 0.6, FirstProb: 0.3,
	Regions: 12, RegionProb: 1, CapFraction: 0.85, TargetProb: 0.5,
}

// WithNRMPPolicies returns in with NRMPPolicies added, drawn from seed.
func WithNRMPPolicies(in *engine.Instance, seed uint64) *engine.Instance {
	AddPolicies(rand.New(rand.NewPCG(seed, 0x706f6c)), in, NRMPPolicies)
	return in
}

// AddPolicies gives in categories, reserves and regions drawn from r, in place. The
// result is valid whenever in was.
func AddPolicies(r *rand.Rand, in *engine.Instance, o PolicyOptions) {
	for a := range in.Applicants {
		var cats []string
		for _, c := range o.Categories {
			if r.Float64() < o.CategoryProb {
				cats = append(cats, c)
			}
		}
		in.Applicants[a].Categories = cats
	}
	for p := range in.Programs {
		prog := &in.Programs[p]
		prog.Reserves, prog.ReserveOrder, prog.Target = nil, engine.ReservesLast, nil
		if len(o.Categories) == 0 || r.Float64() >= o.ReserveProb {
			continue
		}
		free := prog.Capacity
		for range 1 + r.IntN(2) {
			seats := r.IntN(free/2 + 1)
			free -= seats
			prog.Reserves = append(prog.Reserves, engine.Reserve{Category: o.Categories[r.IntN(len(o.Categories))], Seats: seats})
		}
		if r.Float64() < o.FirstProb {
			prog.ReserveOrder = engine.ReservesFirst
		}
	}
	in.Regions = nil
	if o.Regions == 0 {
		return
	}
	regions := make([]engine.Region, o.Regions)
	for i := range regions {
		regions[i].ID = "r" + strconv.Itoa(i)
	}
	for p := range in.Programs {
		if r.Float64() < o.RegionProb {
			i := r.IntN(o.Regions)
			regions[i].Programs = append(regions[i].Programs, p)
		}
	}
	for i := range regions {
		reg := &regions[i]
		seats := 0
		for _, p := range reg.Programs {
			seats += in.Programs[p].Capacity
		}
		reg.Cap = int(float64(seats) * o.CapFraction)
		targets := 0
		for _, p := range reg.Programs {
			prog := &in.Programs[p]
			if r.Float64() < o.TargetProb {
				t := r.IntN(prog.Capacity + 1)
				prog.Target = &t
			}
			targets += target(prog)
		}
		if targets <= reg.Cap {
			continue
		}
		// Scale every target down to its share of the cap; the shares' floors fit.
		for _, p := range reg.Programs {
			prog := &in.Programs[p]
			t := 0
			if seats > 0 {
				t = target(prog) * reg.Cap / max(seats, targets)
			}
			prog.Target = &t
		}
	}
	in.Regions = regions
}

func target(p *engine.Program) int {
	if p.Target != nil {
		return *p.Target
	}
	return p.Capacity
}
