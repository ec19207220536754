package recommend

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// The population of synth_test.go lists skills from a vocabulary of about a
// hundred, which is fine at 50,000 profiles but would make a million of
// them implausibly alike (every skill shared by tens of thousands). At the
// scale benchmarks (scale_bench_test.go) people also list specialised
// skills: a qualifier applied to one of their topic's core skills
// ("bayesian hydrology", "low-power verilog"), a vocabulary of a few
// thousand, each topic's share drawn with a Zipf law so that a few
// specialisations are common and most are rare. The base generator's
// random stream is left untouched, so its figures stay comparable.

var skillQualifiers = []string{
	"applied", "bayesian", "causal", "computational", "distributed", "embedded", "experimental",
	"explainable", "federated", "graph-based", "high-performance", "industrial", "large-scale",
	"low-power", "multimodal", "numerical", "open-source", "probabilistic", "quantum", "real-time",
	"robust", "scalable", "secure", "spatial", "statistical", "stochastic", "sustainable",
	"theoretical", "time-series", "adaptive", "automated", "clinical", "comparative", "data-driven",
	"field", "interpretable", "mobile", "multilingual", "nonlinear", "optimal",
}

// scaleSynth is synth plus the specialised skills.
type scaleSynth struct {
	*synth
	tail  *rand.Rand
	vocab [][]string // by topic index: its specialised skills, in Zipf rank order
	zipf  []*rand.Zipf
}

func newScaleSynth(seed uint64) *scaleSynth {
	g := &scaleSynth{synth: newSynth(seed), tail: rand.New(rand.NewPCG(seed^0x5ca1e, seed+7))}
	order := rand.New(rand.NewPCG(1, 2)) // the vocabulary is the same for every seed
	for _, t := range topics {
		var v []string
		for _, s := range t.skills {
			for _, q := range skillQualifiers {
				v = append(v, q+" "+s)
			}
		}
		order.Shuffle(len(v), func(i, j int) { v[i], v[j] = v[j], v[i] })
		g.vocab = append(g.vocab, v)
		g.zipf = append(g.zipf, rand.NewZipf(g.tail, 1.2, 2, uint64(len(v)-1)))
	}
	return g
}

// topicOf returns the index of the topic whose core skills include most of
// skills (the base generator draws a profile's first skills from its main
// topic).
func topicOf(skills []string) int {
	best, bestN := 0, -1
	for i, t := range topics {
		n := 0
		for _, s := range skills {
			if slices.Contains(t.skills, s) {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	return best
}

func (g *scaleSynth) specialised(topic, lo, hi int) []string {
	n := lo + g.tail.IntN(hi-lo+1)
	out := make([]string, 0, n)
	for range n {
		s := g.vocab[topic][g.zipf[topic].Uint64()]
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (g *scaleSynth) applicant(i int) scoring.Applicant {
	a := g.synth.applicant(i)
	a.ID = fmt.Sprintf("app-%07d", i)
	a.Skills = append(a.Skills, g.specialised(topicOf(a.Skills), 1, 3)...)
	return a
}

func (g *scaleSynth) program(i int) scoring.Program {
	p := g.synth.program(i)
	p.Skills = append(p.Skills, g.specialised(topicOf(p.Skills), 1, 2)...)
	return p
}

func (g *scaleSynth) applicants(n int) []scoring.Applicant {
	out := make([]scoring.Applicant, n)
	for i := range out {
		out[i] = g.applicant(i)
	}
	return out
}

func (g *scaleSynth) programs(n int) []scoring.Program {
	out := make([]scoring.Program, n)
	for i := range out {
		out[i] = g.program(i)
	}
	return out
}

// vocabularySize is how many distinct skills the generator can produce.
func (g *scaleSynth) vocabularySize() int {
	seen := map[string]bool{}
	for i, v := range g.vocab {
		for _, s := range v {
			seen[s] = true
		}
		for _, s := range topics[i].skills {
			seen[s] = true
		}
	}
	for _, s := range genericSkills {
		seen[s] = true
	}
	return len(seen)
}

// ScalePopulation gives the external test package (scale_replica_test.go)
// the scale population: n applicants and m programs.
func ScalePopulation(seed uint64, n, m int) ([]scoring.Applicant, []scoring.Program) {
	g := newScaleSynth(seed)
	return g.applicants(n), g.programs(m)
}
