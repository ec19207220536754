package engine

import "fmt"

// Reserve holds Seats of a program's capacity for applicants in Category.
type Reserve struct {
	Category string
	Seats    int
}

// ReserveOrder says where a program's reserved seats sit in its sequence of slots.
type ReserveOrder int

const (
	// ReservesLast fills the open seats first, then each reserve in the order listed
	// (JSON "last", the default).
	ReservesLast ReserveOrder = iota
	// ReservesFirst fills each reserve in the order listed, then the open seats (JSON "first").
	ReservesFirst
)

var reserveOrders = enum[ReserveOrder]{"ReserveOrder", []string{ReservesLast: "last", ReservesFirst: "first"}}

// String is the order's JSON name.
func (o ReserveOrder) String() string { return reserveOrders.name(o) }

// ParseReserveOrder reads a JSON name back ("last" or "first").
func ParseReserveOrder(name string) (ReserveOrder, bool) { return reserveOrders.parse(name) }

// Region caps how many applicants its programs admit together, as the Japan Residency
// Matching Program caps prefectures. Programs lists its members, in the order the region's
// round-robin visits them; a program belongs to at most one region. In the JSON format a
// program names its region, and a region's programs are those naming it, in input order.
type Region struct {
	ID       string
	Cap      int
	Programs []int // program indices
}

// HasPolicies reports whether the instance uses regions or reserves. Without them Solve,
// Check and Explain take the plain hospitals/residents path.
func (in *Instance) HasPolicies() bool {
	if len(in.Regions) > 0 {
		return true
	}
	for i := range in.Programs {
		if len(in.Programs[i].Reserves) > 0 {
			return true
		}
	}
	return false
}

// target is the program's target, defaulting to its capacity.
func (p *Program) target() int {
	if p.Target != nil {
		return *p.Target
	}
	return p.Capacity
}

// validatePolicies checks reserves, targets and regions: no negative numbers, reserves
// within capacity, every region member a real program in one region only, and targets
// within the region's cap.
func (in *Instance) validatePolicies() error {
	for i := range in.Programs {
		p := &in.Programs[i]
		if p.ReserveOrder != ReservesLast && p.ReserveOrder != ReservesFirst {
			return invalid(fmt.Sprintf("programs[%d].reserveOrder", i), "unknown order %d", int(p.ReserveOrder))
		}
		if p.Target != nil && *p.Target < 0 {
			return invalid(fmt.Sprintf("programs[%d].target", i), "negative target %d", *p.Target)
		}
		reserved := 0
		for k, r := range p.Reserves {
			field := fmt.Sprintf("programs[%d].reserves[%d]", i, k)
			if r.Category == "" {
				return invalid(field, "empty category")
			}
			if r.Seats < 0 {
				return invalid(field, "negative seats %d", r.Seats)
			}
			reserved += r.Seats
			if reserved > p.Capacity {
				return invalid(fmt.Sprintf("programs[%d].reserves", i), "program %q reserves %d or more seats but has a capacity of %d",
					p.ID, reserved, p.Capacity)
			}
		}
	}
	if len(in.Regions) == 0 {
		return nil
	}
	regionOf := make([]int32, len(in.Programs)) // region index + 1
	ids := make(map[string]int, len(in.Regions))
	for i, r := range in.Regions {
		field := fmt.Sprintf("regions[%d]", i)
		if r.ID == "" {
			return invalid(field+".id", "empty id")
		}
		if j, dup := ids[r.ID]; dup {
			return invalid(field+".id", "duplicate region id %q (also regions[%d])", r.ID, j)
		}
		ids[r.ID] = i
		if r.Cap < 0 {
			return invalid(field+".cap", "region %q has negative cap %d", r.ID, r.Cap)
		}
		targets := 0
		for k, p := range r.Programs {
			if p < 0 || p >= len(in.Programs) {
				return invalid(fmt.Sprintf("%s.programs[%d]", field, k), "program index %d out of range", p)
			}
			if o := regionOf[p]; o != 0 {
				return invalid(fmt.Sprintf("%s.programs[%d]", field, k), "program %q is already in region %q; a program belongs to at most one region",
					in.Programs[p].ID, in.Regions[o-1].ID)
			}
			regionOf[p] = int32(i + 1)
			targets += in.Programs[p].target()
		}
		if targets > r.Cap {
			return invalid(field, "targets of region %q add up to %d, more than its cap of %d", r.ID, targets, r.Cap)
		}
	}
	return nil
}
