package engine_test

import (
	"fmt"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// nrmp is the NRMP-size benchmark instance: 50,000 applicants ranking 20 of 6,500 programs.
func nrmp(b *testing.B, tieProb float64) *engine.Instance {
	b.Helper()
	return enginetest.NRMP(enginetest.NRMPOptions{Applicants: 50000, Seed: 1, TieProb: tieProb})
}

func BenchmarkSolveNRMP(b *testing.B) {
	for _, tc := range []struct {
		name    string
		side    engine.Side
		tieProb float64
	}{
		{"applicants", engine.ApplicantOptimal, 0},
		{"programs", engine.ProgramOptimal, 0},
		{"applicants/ties", engine.ApplicantOptimal, 0.3},
	} {
		b.Run(tc.name, func(b *testing.B) {
			in := nrmp(b, tc.tieProb)
			b.ReportAllocs()
			cpu := enginetest.StartCPU()
			for b.Loop() {
				if _, err := engine.Solve(in, tc.side); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Report(b)
			cpu.ReportPerEntry(b, in)
		})
	}
}

// BenchmarkSolveNRMPPolicies is the NRMP-size solve with 12 regions and reserves on 60 %
// of programs (enginetest.NRMPPolicies), beside the same instance without them.
func BenchmarkSolveNRMPPolicies(b *testing.B) {
	for _, tc := range []struct {
		name     string
		policies bool
		tieProb  float64
	}{
		{"plain", false, 0},
		{"policies", true, 0},
		{"policies/ties", true, 0.3},
	} {
		b.Run(tc.name, func(b *testing.B) {
			in := nrmp(b, tc.tieProb)
			if tc.policies {
				enginetest.WithNRMPPolicies(in, 1)
			}
			b.ReportAllocs()
			cpu := enginetest.StartCPU()
			for b.Loop() {
				if _, err := engine.Solve(in, engine.ApplicantOptimal); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Report(b)
		})
	}
}

// BenchmarkCheckNRMPPolicies and BenchmarkExplainNRMPPolicies time the certificate and the
// explanations under policies, which matchsolve also pays for.
func BenchmarkCheckNRMPPolicies(b *testing.B) {
	in := enginetest.WithNRMPPolicies(nrmp(b, 0), 1)
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		b.Fatal(err)
	}
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if c, err := engine.Check(in, m); err != nil || !c.Stable() {
			b.Fatal(c, err)
		}
	}
	cpu.Report(b)
}

func BenchmarkExplainNRMPPolicies(b *testing.B) {
	in := enginetest.WithNRMPPolicies(nrmp(b, 0), 1)
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		b.Fatal(err)
	}
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if _, err := engine.Explain(in, m); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

func BenchmarkCheckNRMP(b *testing.B) {
	in := nrmp(b, 0)
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if c, err := engine.Check(in, m); err != nil || !c.Stable() {
			b.Fatal(c, err)
		}
	}
	cpu.Report(b)
}

func BenchmarkExplainNRMP(b *testing.B) {
	in := nrmp(b, 0)
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if _, err := engine.Explain(in, m); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// BenchmarkSolveScaling grows the market at a fixed shape; cpu-ns/entry should stay flat
// if solving is linear in the total list length.
func BenchmarkSolveScaling(b *testing.B) {
	for _, n := range []int{5000, 10000, 20000, 50000, 100000, 200000} {
		b.Run(fmt.Sprintf("applicants=%d", n), func(b *testing.B) {
			in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: n, Seed: 1})
			cpu := enginetest.StartCPU()
			for b.Loop() {
				if _, err := engine.Solve(in, engine.ApplicantOptimal); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Report(b)
			cpu.ReportPerEntry(b, in)
		})
	}
}

// BenchmarkValidate10x is Validate at 10× NRMP size (500,000 applicants, 65,000 programs),
// where matchsolve calls it twice (in Solve and in Check) on the critical path.
func BenchmarkValidate10x(b *testing.B) {
	in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: 500000, Seed: 1})
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if err := in.Validate(); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// BenchmarkSolve10x is Solve at 10× NRMP size (500,000 applicants, 65,000 programs), plain
// and with the same policies as BenchmarkSolveNRMPPolicies, where the programs' arrays no
// longer fit the cache.
func BenchmarkSolve10x(b *testing.B) {
	for _, policies := range []bool{false, true} {
		name := "plain"
		if policies {
			name = "policies"
		}
		b.Run(name, func(b *testing.B) {
			in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: 500000, Seed: 1})
			if policies {
				enginetest.WithNRMPPolicies(in, 1)
			}
			cpu := enginetest.StartCPU()
			for b.Loop() {
				if _, err := engine.Solve(in, engine.ApplicantOptimal); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Report(b)
		})
	}
}

// BenchmarkPolicyDeferredAcceptance10x is the policy solver's deferred acceptance alone,
// at 10× NRMP size with the policies of BenchmarkSolve10x/policies, on an instance
// validated and prepared once: the single-threaded step of Solve, without the
// two-core validation and preparation around it. Run it with -cpu 1.
func BenchmarkPolicyDeferredAcceptance10x(b *testing.B) {
	in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: 500000, Seed: 1})
	enginetest.WithNRMPPolicies(in, 1)
	solve, err := engine.PolicyDeferredAcceptance(in)
	if err != nil {
		b.Fatal(err)
	}
	cpu := enginetest.StartCPU()
	for b.Loop() {
		solve()
	}
	cpu.Report(b)
}
