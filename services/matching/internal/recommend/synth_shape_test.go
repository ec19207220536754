package recommend

import (
	"slices"
	"strings"
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

// TestScalePopulationShape keeps the scale generator's skills what the
// benchmarks claim: a vocabulary of a few thousand, of which a sample of
// profiles uses many, none of them by a large share of people (the
// commonest, in the largest topic, which a seventh of profiles work in,
// is listed by about a tenth).
func TestScalePopulationShape(t *testing.T) {
	g := newScaleSynth(scaleSeed)
	vocab := g.vocabularySize()
	const n = 10_000
	uses := map[string]int{}
	for _, a := range g.applicants(n) {
		for _, s := range a.Skills {
			uses[s]++
		}
	}
	top := 0
	specialised := 0
	for s, c := range uses {
		if strings.Contains(s, " ") && slices.ContainsFunc(skillQualifiers, func(q string) bool { return strings.HasPrefix(s, q+" ") }) {
			specialised++
			top = max(top, c)
		}
	}
	t.Logf("vocabulary %d skills; %d profiles use %d distinct skills, %d specialised, the commonest specialised one %d times",
		vocab, n, len(uses), specialised, top)
	if vocab < 2000 || vocab > 6000 {
		t.Errorf("vocabulary of %d skills, want a few thousand", vocab)
	}
	if specialised < 1000 {
		t.Errorf("%d profiles use only %d specialised skills, want at least 1,000", n, specialised)
	}
	if top > n/8 {
		t.Errorf("one specialised skill is listed by %d of %d profiles, want at most an eighth", top, n)
	}
}
