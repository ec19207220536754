package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Limits of a round's policy.
const (
	MaxRegions      = 200
	MaxRegionIDLen  = 64
	MaxRegionName   = 200
	MaxRegionTarget = 1_000_000
	// MaxRegionCap bounds a region's cap (a national round's seats).
	MaxRegionCap = 1_000_000
)

// Policy is a round's allocation policy (DESIGN.md §5 "Allocation
// policies"): regions that cap how many applicants groups of programs
// admit together. Category reserves belong to the programs themselves.
type Policy struct {
	Regions []Region
}

// Region caps the applicants its programs admit together. ProgramIDs are
// in the order the region's round-robin visits them; Targets, when given
// for a program, is how many seats it fills from its own proposers before
// the region shares out the rest of its cap (default: its seats).
type Region struct {
	ID         string
	Name       string
	Cap        int
	ProgramIDs []string
	Targets    map[string]int
}

// Empty reports whether the policy holds nothing.
func (p *Policy) Empty() bool { return p == nil || len(p.Regions) == 0 }

// RegionOf returns the region a program belongs to, or nil.
func (p *Policy) RegionOf(programID string) *Region {
	if p == nil {
		return nil
	}
	for i := range p.Regions {
		if slices.Contains(p.Regions[i].ProgramIDs, programID) {
			return &p.Regions[i]
		}
	}
	return nil
}

// CheckPolicy checks a round's policy against the round's programs and
// their seats (seats[id]; a program missing from seats is checked for
// everything but its default target). It returns one field error per
// problem, with fields such as "policy.regions[0].targets.p1".
func CheckPolicy(p *Policy, roundPrograms []string, seats map[string]int) []FieldError {
	if p == nil {
		return nil
	}
	var errs fieldErrors
	if len(p.Regions) > MaxRegions {
		errs.add(fielderr.NewTooMany("policy.regions", MaxRegions).Because("at most %d regions", MaxRegions))
		return errs
	}
	inRound := make(map[string]bool, len(roundPrograms))
	for _, id := range roundPrograms {
		inRound[id] = true
	}
	regionIDs := map[string]int{}
	owner := map[string]string{} // program → field where it was first placed
	for i, r := range p.Regions {
		f := fmt.Sprintf("policy.regions[%d]", i)
		id := strings.TrimSpace(r.ID)
		switch {
		case id == "":
			errs.add(fielderr.NewRequired(f + ".id"))
		case utf8.RuneCountInString(id) > MaxRegionIDLen || strings.IndexFunc(id, unicode.IsControl) >= 0:
			errs.add(fielderr.NewTooLong(f+".id", MaxRegionIDLen).Because("must be at most %d characters without control characters", MaxRegionIDLen))
		default:
			if j, dup := regionIDs[id]; dup {
				errs.add(fielderr.NewDuplicateOf(f+".id", fmt.Sprintf("policy.regions[%d].id", j)).Because("repeats policy.regions[%d].id", j))
			}
			regionIDs[id] = i
		}
		if utf8.RuneCountInString(r.Name) > MaxRegionName || strings.IndexFunc(r.Name, unicode.IsControl) >= 0 {
			errs.add(fielderr.NewTooLong(f+".name", MaxRegionName).Because("must be at most %d characters without control characters", MaxRegionName))
		}
		if r.Cap < 0 || r.Cap > MaxRegionCap {
			errs.add(fielderr.NewRange(f+".cap", 0, MaxRegionCap))
		}
		if len(r.ProgramIDs) == 0 {
			errs.add(fielderr.NewTooFew(f+".programIds", 1).Because("name at least one program"))
		}
		members := map[string]bool{}
		targets := 0
		for k, pid := range r.ProgramIDs {
			pf := fmt.Sprintf("%s.programIds[%d]", f, k)
			switch {
			case !inRound[pid]:
				errs.add(fielderr.NewNotFound(pf).Because("is not one of the round's programs"))
				continue
			case members[pid]:
				errs.add(fielderr.NewDuplicate(pf).Because("is listed twice in this region"))
				continue
			case owner[pid] != "":
				errs.add(fielderr.NewDuplicateOf(pf, owner[pid]).Because("is already in %s; a program belongs to at most one region", owner[pid]))
				continue
			}
			members[pid] = true
			owner[pid] = f
			if t, ok := r.Targets[pid]; ok {
				targets += max(0, t)
			} else {
				targets += seats[pid]
			}
		}
		for _, pid := range slices.Sorted(maps.Keys(r.Targets)) {
			t := r.Targets[pid]
			tf := f + ".targets." + pid
			switch {
			case !members[pid]:
				errs.add(fielderr.NewNotFound(tf).Because("names a program not in this region's programIds"))
			case t < 0:
				errs.add(fielderr.NewRange(tf, 0, MaxRegionTarget).Because("must not be negative"))
			case t > MaxRegionTarget:
				errs.add(fielderr.NewRange(tf, 0, MaxRegionTarget))
			case seats != nil && t > seats[pid]:
				errs.add(fielderr.NewRange(tf, 0, seats[pid]).Because("is more than the program's %d seats", seats[pid]))
			}
		}
		if r.Cap >= 0 && targets > r.Cap {
			errs.add(fielderr.NewRange(f+".cap", targets, MaxRegionCap).Because("is %d, less than the region's targets, which add up to %d (a program without a target counts its seats)", r.Cap, targets))
		}
	}
	return errs
}

// Normalize trims region ids and names (a region without a name is
// called by its id) and drops an empty policy.
func (p *Policy) Normalize() *Policy {
	if p.Empty() {
		return nil
	}
	out := &Policy{Regions: make([]Region, len(p.Regions))}
	for i, r := range p.Regions {
		r.ID, r.Name = strings.TrimSpace(r.ID), strings.TrimSpace(r.Name)
		if r.Name == "" {
			r.Name = r.ID
		}
		r.ProgramIDs = slices.Clone(r.ProgramIDs)
		if len(r.Targets) == 0 {
			r.Targets = nil
		}
		out.Regions[i] = r
	}
	return out
}

// PolicyUse is how a run used the round's policy and its programs'
// reserves: aggregate counts only, for reports.
type PolicyUse struct {
	Reserves []ReserveUse
	Regions  []RegionUse
}

// ReserveUse is one reserve of one program at a run: the seats it holds,
// how many went to applicants in the category and how many, finding none,
// reverted to others.
type ReserveUse struct {
	ProgramID  string
	Category   string
	Seats      int
	ToCategory int
	Reverted   int
}

// RegionUse is how many applicants a region's programs admitted against
// its cap.
type RegionUse struct {
	RegionID string
	Name     string
	Cap      int
	Filled   int
}
