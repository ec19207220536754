package stats

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkCompute counts and suppresses a national-size year: 100,000
// placements over 47 home regions, grouped by home region and by month.
func BenchmarkCompute(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []string{"preparing", "active", "completed", "ended"}
	recs := make([]Record, 100_000)
	for i := range recs {
		acc := time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		recs[i] = Record{Direction: []string{"IN_JP", "JP_IN"}[rng.IntN(2)], Kind: "exchange", Field: "1.2",
			HostRegion: "Tokyo", HomeRegion: fmt.Sprintf("region-%02d", rng.IntN(47)), AcceptedAt: acc,
			Start: acc.AddDate(0, 3, 0), Status: statuses[rng.IntN(4)], ClosedAt: acc.AddDate(0, 9, 0)}
	}
	for _, by := range []string{ByHomeRegion, ByMonth} {
		q, errs := ParseQuery(by, "2026-01", "2027-12", now)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		b.Run(by, func(b *testing.B) {
			for b.Loop() {
				Compute(recs, q, now)
			}
		})
	}
}
