package recommend

import (
	"slices"
	"testing"
)

// TestSyntheticDataShape keeps the generator believable: a tenth of the
// benchmark scale must give a realistic share of eligible pairs, most
// applicants some recommendations, and scores spread out rather than piled
// up, or benchmark figures would describe an unrealistic workload.
func TestSyntheticDataShape(t *testing.T) {
	g := newSynth(benchSeed)
	r := New(Config{Now: benchClock})
	must(t, r.Build(g.applicants(5000), g.programs(650)))
	st := r.st
	pairs := float64(5000 * 650)
	share := float64(st.eligiblePairs) / pairs

	served, full := 0, 0
	var top []float64
	for slot := range st.a.ids {
		l := st.a.lists.at(int32(slot))
		if len(l) > 0 {
			served++
			top = append(top, l[0].pts.Float())
		}
		if len(l) >= st.k {
			full++
		}
	}
	slices.Sort(top)
	median, p10, p90 := top[len(top)/2], top[len(top)/10], top[len(top)*9/10]
	t.Logf("eligible pairs %.1f%%; applicants with recommendations %d/5000, with a full top %d: %d; best score p10 %.3f median %.3f p90 %.3f",
		100*share, served, st.k, full, p10, median, p90)

	checks := []struct {
		what   string
		ok     bool
		detail any
	}{
		{"eligible share within 3%–40%", share > 0.03 && share < 0.40, share},
		{"at least 90% of applicants served", served >= 4500, served},
		{"at least half with a full top k", full >= 2500, full},
		{"best scores spread (p90 − p10 ≥ 0.1)", p90-p10 >= 0.1, [2]float64{p10, p90}},
		{"best scores neither trivial nor perfect", median > 0.3 && median < 0.95, median},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("synthetic data: want %s, got %v", c.what, c.detail)
		}
	}
}
