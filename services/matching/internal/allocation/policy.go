package allocation

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/engine"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/explain"
)

// Reason codes of the allocation policies (DESIGN.md §5).
const (
	CodeRegionCap = "round.region_cap"
	CodeReserved  = "round.reserved"
)

// applyPolicies puts the round's policy and its programs' reserves into the
// instance: applicants' categories (the read model holds them only under
// consent), each program's reserves within the seats it has left to give,
// and the round's regions with their caps and targets. A region's cap is
// lowered by the seats its programs' fixed matches hold (a re-run keeps
// them); held returns those seats per region.
func applyPolicies(inst *engine.Instance, in Input, progIndex map[string]int) (held []int) {
	for ai, a := range in.Applicants {
		inst.Applicants[ai].Categories = slices.Clone(a.Profile.Categories)
	}
	for pi, p := range in.Programs {
		prog := &inst.Programs[pi]
		left := prog.Capacity
		for _, r := range p.Reserves {
			n := min(max(0, r.Seats), left)
			if n == 0 || r.Category == "" {
				continue
			}
			prog.Reserves = append(prog.Reserves, engine.Reserve{Category: r.Category, Seats: n})
			left -= n
		}
		if p.ReserveOrder == programsev.ReserveOrderFirst {
			prog.ReserveOrder = engine.ReservesFirst
		}
	}
	if in.Policy.Empty() {
		return nil
	}
	held = make([]int, len(in.Policy.Regions))
	for i, r := range in.Policy.Regions {
		for _, id := range r.ProgramIDs {
			if pi, ok := progIndex[id]; ok && in.Programs[pi].Allocatable() {
				held[i] += max(0, in.Programs[pi].Seats-in.Programs[pi].Capacity)
			}
		}
		reg := engine.Region{ID: r.ID, Cap: max(0, r.Cap-held[i])}
		// Targets (explicit, or the seats left) are kept within the cap in
		// the region's order, should seats have grown since the round was
		// made.
		room := reg.Cap
		for _, id := range r.ProgramIDs {
			pi, ok := progIndex[id]
			if !ok {
				continue
			}
			prog := &inst.Programs[pi]
			t := prog.Capacity
			if x, ok := r.Targets[id]; ok {
				t = min(max(0, x), prog.Capacity)
			}
			t = min(t, room)
			room -= t
			prog.Target = &t
			reg.Programs = append(reg.Programs, pi)
		}
		inst.Regions = append(inst.Regions, reg)
	}
	return held
}

// policyUse reports how the matching used the reserves and regions, or nil
// when the instance has no policies. A region's fill counts the seats held
// by fixed matches too, against its whole cap.
func policyUse(inst *engine.Instance, m *engine.Matching, in Input, held []int) (*domain.PolicyUse, error) {
	if !inst.HasPolicies() {
		return nil, nil
	}
	progs, regions, err := engine.ExplainPolicies(inst, m)
	if err != nil {
		return nil, err
	}
	use := &domain.PolicyUse{}
	for _, pr := range progs {
		for _, r := range pr.Reserves {
			use.Reserves = append(use.Reserves, domain.ReserveUse{ProgramID: inst.Programs[pr.Program].ID,
				Category: r.Category, Seats: r.Seats, ToCategory: r.ToCategory, Reverted: r.Reverted})
		}
	}
	for _, ru := range regions {
		reg := in.Policy.Regions[ru.Region]
		use.Regions = append(use.Regions, domain.RegionUse{RegionID: reg.ID, Name: reg.Name, Cap: reg.Cap,
			Filled: ru.Filled + held[ru.Region]})
	}
	return use, nil
}

// policyReason words the engine's policy reasons with the program's title
// and the region's name; ok is false for reasons of other kinds.
func policyReason(r engine.Reason, p domain.Program, policy *domain.Policy) (explain.Reason, bool) {
	switch r.Code {
	case engine.ReasonRegionCap:
		name := r.Region
		if reg := policy.RegionOf(p.ID); reg != nil {
			name = reg.Name
		}
		return explain.New(CodeRegionCap, fmt.Sprintf("%s had a seat left, but region %s reached its cap of %d",
			p.Title, name, r.RegionCap), "programId", p.ID, "regionId", r.Region, "regionName", name, "cap", strconv.Itoa(r.RegionCap)), true
	case engine.ReasonReserved:
		return explain.New(CodeReserved, fmt.Sprintf("The %d %s of %s reserved for %s went to applicants in that category",
			r.ReservedSeats, plural(r.ReservedSeats, "seat", "seats"), p.Title, r.Category),
			"programId", p.ID, "category", r.Category, "seats", strconv.Itoa(r.ReservedSeats)), true
	}
	return explain.Reason{}, false
}

// reserveNote adds to a "filled" reason the reserves the applicant could
// have had: their seats, too, went to applicants the program ranked higher.
func reserveNote(reason explain.Reason, prog engine.Program, cats []string) explain.Reason {
	for _, res := range prog.Reserves {
		if slices.Contains(cats, res.Category) {
			reason.Text += fmt.Sprintf("; the %d %s reserved for %s went to applicants it ranked higher",
				res.Seats, plural(res.Seats, "seat", "seats"), res.Category)
		}
	}
	return reason
}
