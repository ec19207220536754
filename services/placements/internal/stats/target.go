package stats

import "time"

// The India–Japan Action Plan for Human Resource Exchange and Cooperation
// (August 2025) aims at 500,000 exchanges of people in both directions
// over five years.
const (
	TargetPeople = 500_000
	TargetYears  = 5
	TargetSource = "https://www.mea.gov.in/bilateral-documents.htm"
	TargetName   = "India–Japan Action Plan for Human Resource Exchange and Cooperation (Ministry of External Affairs, 29 August 2025)"
)

// Target is the platform's count of exchanges against the Action Plan's:
// offers accepted since the plan began, in both directions, all time (not
// the query's window). Counted is suppressed like any cell; Share is a
// fraction (0.0001 = 0.01%) and 0 when Counted is not shown.
type Target struct {
	People  int     `json:"people"`
	Since   string  `json:"since"`
	Years   int     `json:"years"`
	Counted Cell    `json:"counted"`
	Share   float64 `json:"share"`
	Source  string  `json:"source"`
	Name    string  `json:"name"`
}

func target(records []Record, now time.Time) Target {
	n := 0
	for _, r := range records {
		if !r.AcceptedAt.Before(Epoch) && !r.AcceptedAt.After(now) {
			n++
		}
	}
	t := Target{People: TargetPeople, Since: Epoch.Format("2006-01"), Years: TargetYears, Source: TargetSource, Name: TargetName, Counted: Count(n)}
	if n < Threshold {
		t.Counted = Cell{marker: Suppressed}
	} else {
		t.Share = float64(n) / TargetPeople
	}
	return t
}
