package recommend

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// The benchmark scale of the brief: 50,000 profiles × 6,500 programs, top 20.
const (
	benchApplicants = 50_000
	benchPrograms   = 6_500
	benchSeed       = 2026
)

var bench struct {
	once  sync.Once
	apps  []scoring.Applicant
	progs []scoring.Program
	r     *Recommender
}

// benchData generates the data set once per test binary; generation is not
// part of any measurement.
func benchData() {
	bench.once.Do(func() {
		g := newSynth(benchSeed)
		bench.apps = g.applicants(benchApplicants)
		bench.progs = g.programs(benchPrograms)
	})
}

func benchClock() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }

// builtRecommender returns a recommender built on the benchmark data, shared
// by the update and read benchmarks.
func builtRecommender(b *testing.B) *Recommender {
	benchData()
	if bench.r == nil {
		bench.r = New(Config{Now: benchClock})
		must(b, bench.r.Build(bench.apps, bench.progs))
	}
	return bench.r
}

// BenchmarkBuild measures a full build: IDF fit, compiling every profile and
// program, and all top-20 lists on both sides, using every core.
func BenchmarkBuild(b *testing.B) {
	benchData()
	var r *Recommender
	cpu := cpuTime()
	for b.Loop() {
		r = New(Config{Now: benchClock})
		must(b, r.Build(bench.apps, bench.progs))
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(benchApplicants)*benchPrograms, "pairs")
	b.ReportMetric(float64(r.st.eligiblePairs), "eligible-pairs")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	runtime.KeepAlive(r)
}

// BenchmarkBuildLists measures only scoring and ranking every pair, from
// compiled features, with one and two workers.
func BenchmarkBuildLists(b *testing.B) {
	r := builtRecommender(b)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				scratchBuild(r.st, workers)
			}
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkUpsertApplicant measures one profile event: a new profile, or a
// changed one, re-scored against every program, fixing every list it is in.
func BenchmarkUpsertApplicant(b *testing.B) {
	r := builtRecommender(b)
	for _, mode := range []string{"new", "update"} {
		b.Run(mode, func(b *testing.B) {
			g := newSynth(benchSeed + 1)
			start, cpu := r.st.recomputes, cpuTime()
			i := 0
			for b.Loop() {
				a := g.applicant(benchApplicants + i)
				if mode == "update" {
					a.ID = bench.apps[(i*7919)%benchApplicants].ID
				} else {
					a.ID = fmt.Sprintf("bench-new-%s-%d", b.Name(), i)
				}
				must(b, r.UpsertApplicant(a))
				i++
			}
			b.ReportMetric(float64(r.st.recomputes-start)/float64(i), "recomputes/op")
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(i), "cpu-ms/op")
		})
	}
}

// BenchmarkUpsertProgram measures one program event: a publish (new
// program) or an update, re-scoring every applicant against it and fixing
// every list it is in.
func BenchmarkUpsertProgram(b *testing.B) {
	r := builtRecommender(b)
	for _, mode := range []string{"publish", "update"} {
		b.Run(mode, func(b *testing.B) {
			g := newSynth(benchSeed + 2)
			start, cpu := r.st.recomputes, cpuTime()
			i := 0
			for b.Loop() {
				p := g.program(benchPrograms + i)
				if mode == "update" {
					p.ID = bench.progs[(i*613)%benchPrograms].ID
				} else {
					p.ID = fmt.Sprintf("bench-new-%s-%d", b.Name(), i)
				}
				must(b, r.UpsertProgram(p))
				i++
			}
			b.ReportMetric(float64(r.st.recomputes-start)/float64(i), "recomputes/op")
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(i), "cpu-ms/op")
		})
	}
}

// BenchmarkRead measures reading one top-20 list with its reasons.
func BenchmarkRead(b *testing.B) {
	r := builtRecommender(b)
	b.Run("ProgramsFor", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r.ProgramsFor(bench.apps[(i*31)%benchApplicants].ID)
			i++
		}
	})
	b.Run("CandidatesFor", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r.CandidatesFor(bench.progs[(i*31)%benchPrograms].ID)
			i++
		}
	})
}

// BenchmarkRemove measures erasing a profile and closing a program. It runs
// last: it shrinks the shared data set.
func BenchmarkRemove(b *testing.B) {
	r := builtRecommender(b)
	b.Run("applicant", func(b *testing.B) {
		i := 0
		for b.Loop() {
			r.RemoveApplicant(bench.apps[(i*104729)%benchApplicants].ID)
			i++
		}
	})
	b.Run("program", func(b *testing.B) {
		i := 0
		for b.Loop() {
			r.RemoveProgram(bench.progs[(i*2671)%benchPrograms].ID)
			i++
		}
	})
}
