package domain

import (
	"strconv"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
)

// MinShownGroup is the smallest number of people a report shows: a count
// below it could point at someone, so it is shown as "<10".
const MinShownGroup = 10

// Types of the report's policy tables (shared/api/matching).
type (
	Count          = apimatching.Count
	CategoryReport = apimatching.CategoryReport
	RegionReport   = apimatching.RegionReport
)

// PeopleCount is n as a report shows it: the number, or, under
// MinShownGroup, only the marker.
func PeopleCount(n int) Count {
	if n < MinShownGroup {
		return Count{Suppressed: true, Display: "<" + strconv.Itoa(MinShownGroup)}
	}
	return Count{N: &n, Display: strconv.Itoa(n)}
}

// suppressSmallGroups hides, in one breakdown, every group of fewer than
// MinShownGroup applicants. If that hides exactly one group, the smallest
// group still shown is hidden as well: the report's totals minus the
// shown groups would otherwise give the hidden one back.
func suppressSmallGroups(groups []GroupRate) {
	hide := func(g *GroupRate, display string) {
		*g = GroupRate{Value: g.Value, Suppressed: true, Display: display}
	}
	hidden := 0
	for i := range groups {
		if groups[i].Applicants < MinShownGroup {
			hide(&groups[i], "<"+strconv.Itoa(MinShownGroup))
			hidden++
		}
	}
	if hidden != 1 {
		return
	}
	smallest := -1
	for i := range groups {
		if !groups[i].Suppressed && (smallest < 0 || groups[i].Applicants < groups[smallest].Applicants) {
			smallest = i
		}
	}
	if smallest >= 0 {
		hide(&groups[smallest], "hidden")
	}
}

// policyReport is the last run's use of the category reserves, summed by
// category, and of the regions: seats reserved, people the reserves went
// to in the category and people they reverted to, and people each region
// admitted against its cap. Never nil, so the JSON has empty lists.
func policyReport(u *PolicyUse) ([]CategoryReport, []RegionReport) {
	cats, regions := []CategoryReport{}, []RegionReport{}
	if u == nil {
		return cats, regions
	}
	for _, c := range CategoryTotals(u.Reserves) {
		cats = append(cats, CategoryReport{Category: c.Category, Reserved: c.Reserved,
			ToCategory: PeopleCount(c.ToCategory), Reverted: PeopleCount(c.Reverted)})
	}
	for _, r := range u.Regions {
		regions = append(regions, RegionReport{RegionID: r.RegionID, Name: r.Name, Cap: r.Cap, Filled: PeopleCount(r.Filled)})
	}
	return cats, regions
}
