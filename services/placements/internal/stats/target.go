package stats

import (
	"time"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
)

// The India–Japan Action Plan for Human Resource Exchange and Cooperation
// (August 2025) aims at 500,000 exchanges of people in both directions
// over five years.
const (
	TargetPeople = 500_000
	TargetYears  = 5
	TargetSource = "https://www.mea.gov.in/bilateral-documents.htm"
	TargetName   = "India–Japan Action Plan for Human Resource Exchange and Cooperation (Ministry of External Affairs, 29 August 2025)"
)

// target counts the platform's exchanges against the Action Plan's:
// offers accepted since the plan began, both directions, all time (not the
// query's window), suppressed like any cell.
func target(records []Record, now time.Time) Target {
	n := 0
	for _, r := range records {
		if !r.AcceptedAt.Before(Epoch) && !r.AcceptedAt.After(now) {
			n++
		}
	}
	t := Target{People: TargetPeople, Since: Epoch.Format("2006-01"), Years: TargetYears, Source: TargetSource, Name: TargetName, Counted: apiplacements.Count(n)}
	if n < Threshold {
		t.Counted = apiplacements.SuppressedCell()
	} else {
		t.Share = float64(n) / TargetPeople
	}
	return t
}
