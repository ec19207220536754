package recommend

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The scale benchmarks measure one matching replica's recommender at the
// size of a national exchange scheme: by default 200,000 applicants and
// 4,000 programs, and with TB_BENCH_SCALE=1000000x20000 a million
// applicants and 20,000 programs (several minutes and about 6 GiB of memory
// on the 2-core machine; scripts/bench.sh runs it with BENCH_MILLION=1).
// Run them in this order, in one process, since they share the built
// recommender:
//
//	go test -run '^$' -bench '^BenchmarkScale' -benchtime 1x ./internal/recommend/
//
// BenchmarkScaleBuild builds once and reports the memory the recommender
// holds; the update, publish and read benchmarks time single operations on
// what it built and report medians and 99th percentiles.

const scaleSeed = 2027

// scaleSize reads TB_BENCH_SCALE ("APPLICANTSxPROGRAMS").
func scaleSize(b *testing.B) (applicants, programs int) {
	v := os.Getenv("TB_BENCH_SCALE")
	if v == "" {
		return 200_000, 4_000
	}
	as, ps, ok := strings.Cut(v, "x")
	a, errA := strconv.Atoi(as)
	p, errP := strconv.Atoi(ps)
	if !ok || errA != nil || errP != nil || a < 1 || p < 1 {
		b.Fatalf("TB_BENCH_SCALE=%q: want APPLICANTSxPROGRAMS, e.g. 1000000x20000", v)
	}
	return a, p
}

var scale struct {
	applicants, programs int
	r                    *Recommender
}

// heapInUse returns the bytes in in-use heap spans after a full collection.
func heapInUse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// buildScale generates the population, builds a recommender on it, and
// drops the generated input, so that what stays live is what the
// recommender holds (it keeps a copy of every profile and program, for
// explanations and Refit). It returns the recommender, the wall and CPU
// time of Build alone, and the in-use heap it added.
func buildScale(b *testing.B) (r *Recommender, wall, cpu time.Duration, held uint64) {
	n, m := scaleSize(b)
	scale.r = nil
	base := heapInUse()
	g := newScaleSynth(scaleSeed)
	apps, progs := g.applicants(n), g.programs(m)
	r = New(Config{Now: benchClock})
	start, cpu0 := time.Now(), cpuTime()
	must(b, r.Build(apps, progs))
	wall, cpu = time.Since(start), cpuTime()-cpu0
	apps, progs = nil, nil
	runtime.KeepAlive(apps)
	held = heapInUse() - base
	scale.applicants, scale.programs, scale.r = n, m, r
	return r, wall, cpu, held
}

// scaleRecommender returns the recommender BenchmarkScaleBuild made, or
// builds one when it ran alone.
func scaleRecommender(b *testing.B) *Recommender {
	n, m := scaleSize(b)
	if scale.r == nil || scale.applicants != n || scale.programs != m {
		b.StopTimer()
		buildScale(b)
		b.StartTimer()
	}
	return scale.r
}

// BenchmarkScaleBuild reports the full build's wall and CPU time and the
// memory the built recommender holds: in all (heap-MiB) and per applicant
// (B/applicant, everything divided by the number of applicants, programs
// included).
func BenchmarkScaleBuild(b *testing.B) {
	var wall, cpu time.Duration
	var held uint64
	var r *Recommender
	for b.Loop() {
		b.StopTimer()
		r = nil
		var w, c time.Duration
		r, w, c, held = buildScale(b)
		wall += w
		cpu += c
		b.StartTimer()
	}
	runtime.KeepAlive(r)
	b.ReportMetric(wall.Seconds()/float64(b.N), "build-s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
	b.ReportMetric(float64(held)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(held)/float64(scale.applicants), "B/applicant")
	b.ReportMetric(float64(r.st.eligiblePairs), "eligible-pairs")
}

// percentiles reports the median and 99th percentile of ds in ms.
func percentiles(b *testing.B, ds []time.Duration, prefix string) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), prefix+"p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), prefix+"p99-ms")
}

// scaleOps is how many operations each timing benchmark makes: enough for
// a median and a rough 99th percentile, bounded so a million-applicant run
// stays within minutes.
const scaleOps = 200

// BenchmarkScaleUpdate times one profile update: the applicant is re-scored
// against every program, its list replaced and every program list it is
// in fixed; its new recommendations are readable when the call returns.
func BenchmarkScaleUpdate(b *testing.B) {
	r := scaleRecommender(b)
	g := newScaleSynth(scaleSeed + 1)
	var ds []time.Duration
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		var ops []time.Duration
		for j := range scaleOps {
			a := g.applicant(scale.applicants + j)
			a.ID = fmt.Sprintf("app-%07d", (j*7919+i)%scale.applicants)
			start, cpu0 := time.Now(), cpuTime()
			must(b, r.UpsertApplicant(a))
			ops = append(ops, time.Since(start))
			cpu += cpuTime() - cpu0
		}
		ds = append(ds, ops...)
		b.StartTimer()
	}
	percentiles(b, ds, "")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(ds)), "cpu-ms/op")
}

// BenchmarkScalePublish times one program publish: the new program is
// scored against every applicant, its candidate list built, and every
// applicant list it enters fixed, all before the call returns (the write is
// synchronous), so the time is the time until every affected applicant's
// recommendations show it. It also reports how many applicant lists one
// publish changed.
func BenchmarkScalePublish(b *testing.B) {
	r := scaleRecommender(b)
	g := newScaleSynth(scaleSeed + 2)
	var ds []time.Duration
	var entered, n int
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		for j := range scaleOps / 4 {
			p := g.program(scale.programs + j)
			p.ID = fmt.Sprintf("scale-new-%d-%d", i, j)
			start, cpu0 := time.Now(), cpuTime()
			must(b, r.UpsertProgram(p))
			ds = append(ds, time.Since(start))
			cpu += cpuTime() - cpu0
			entered += r.applicantListsHolding(p.ID)
			n++
		}
		b.StartTimer()
	}
	percentiles(b, ds, "")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/op")
	b.ReportMetric(float64(entered)/float64(n), "lists-entered")
}

// applicantListsHolding counts the applicant lists a program is in.
func (r *Recommender) applicantListsHolding(programID string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	slot, ok := r.st.p.slots[programID]
	if !ok {
		return 0
	}
	n := 0
	for ai := range r.st.apps {
		for _, e := range r.st.a.lists.at(int32(ai)) {
			if e.slot == slot {
				n++
				break
			}
		}
	}
	return n
}

// BenchmarkScaleRead times reading one top-20 list with its reasons, for an
// applicant and for a program.
func BenchmarkScaleRead(b *testing.B) {
	r := scaleRecommender(b)
	var apps, progs []time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		for j := range scaleOps * 5 {
			id := fmt.Sprintf("app-%07d", (j*104729+i)%scale.applicants)
			start := time.Now()
			if _, ok := r.ProgramsFor(id); !ok {
				b.Fatalf("applicant %s unknown", id)
			}
			apps = append(apps, time.Since(start))
			id = fmt.Sprintf("prog-%05d", (j*2671+i)%scale.programs)
			start = time.Now()
			if _, ok := r.CandidatesFor(id); !ok {
				b.Fatalf("program %s unknown", id)
			}
			progs = append(progs, time.Since(start))
		}
		b.StartTimer()
	}
	percentiles(b, apps, "applicant-")
	percentiles(b, progs, "program-")
}
