package domain

import (
	"cmp"
	"slices"
	"time"

	"github.com/talentbridge/platform/shared/explain"
)

// MockRun is what a run of a round would give now: computed like a run,
// saved apart from matches, told to no one (no events, no notices).
type MockRun struct {
	RoundID       string
	RanBy         string
	RanAt         time.Time
	BlockingPairs int
	Items         []MockItem
	Fill          MockFill
}

// MockItem is one would-be match with why.
type MockItem struct {
	ApplicantID string
	ProgramID   string
	Reasons     []explain.Reason
}

// MockFill are a mock run's fill counts per program, region and category.
type MockFill struct {
	Programs   []ProgramFill
	Regions    []RegionUse
	Categories []CategoryUse
}

// ProgramFill is one program's seats and how many a run filled (matches
// kept from earlier runs included).
type ProgramFill struct {
	ProgramID string
	Title     string
	Seats     int
	Filled    int
}

// CategoryUse sums one category's reserves over a round's programs.
type CategoryUse struct {
	Category   string
	Reserved   int
	ToCategory int
	Reverted   int
}

// CategoryTotals sums reserves by category, in the order of the category
// names.
func CategoryTotals(reserves []ReserveUse) []CategoryUse {
	by := map[string]*CategoryUse{}
	var out []CategoryUse
	for _, r := range reserves {
		c, ok := by[r.Category]
		if !ok {
			out = append(out, CategoryUse{Category: r.Category})
			c = &CategoryUse{Category: r.Category}
			by[r.Category] = c
		}
		c.Reserved += r.Seats
		c.ToCategory += r.ToCategory
		c.Reverted += r.Reverted
	}
	for i := range out {
		out[i] = *by[out[i].Category]
	}
	slices.SortFunc(out, func(a, b CategoryUse) int { return cmp.Compare(a.Category, b.Category) })
	return out
}

// Rate is the share of the program's seats filled.
func (f ProgramFill) Rate() float64 { return rate(f.Filled, f.Seats) }

// Rate is the share of the region's cap filled.
func (u RegionUse) Rate() float64 { return rate(u.Filled, u.Cap) }

// Rate is the share of the category's reserved seats that went to it.
func (u CategoryUse) Rate() float64 { return rate(u.ToCategory, u.Reserved) }
