package main

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
	"github.com/talentbridge/platform/services/matching/internal/engine/instancejson"
)

// nrmpJSON is the NRMP-size instance (50,000 applicants, 6,500 programs) as matchsolve
// input, with enginetest.NRMPPolicies when policies is set.
func nrmpJSON(b *testing.B, policies ...bool) []byte {
	b.Helper()
	in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: 50000, Seed: 1})
	if len(policies) > 0 && policies[0] {
		enginetest.WithNRMPPolicies(in, 1)
	}
	var buf bytes.Buffer
	if err := instancejson.Write(&buf, in); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// cpuPerOp reports CPU time per operation (see processCPU) after the loop started at
// start; run with -cpu 1 so that it measures one core.
func cpuPerOp(b *testing.B, start time.Duration, ok bool) {
	if end, ok2 := processCPU(); ok && ok2 {
		b.ReportMetric(float64((end-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRunNRMP is the whole command in-process: decode, solve, check, encode.
func BenchmarkRunNRMP(b *testing.B) {
	data := nrmpJSON(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		var stderr bytes.Buffer
		if code := run(nil, bytes.NewReader(data), io.Discard, &stderr); code != 0 {
			b.Fatalf("run() = %d, stderr %q", code, stderr.String())
		}
	}
	cpuPerOp(b, start, ok)
}

// BenchmarkRunNRMPPolicies is BenchmarkRunNRMP beside the same instance with 12 regions and
// reserves on 60 % of programs, so that the two can be compared within one run.
func BenchmarkRunNRMPPolicies(b *testing.B) {
	for _, tc := range []struct {
		name     string
		policies bool
	}{{"plain", false}, {"policies", true}} {
		b.Run(tc.name, func(b *testing.B) {
			data := nrmpJSON(b, tc.policies)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			start, ok := processCPU()
			for b.Loop() {
				var stderr bytes.Buffer
				if code := run(nil, bytes.NewReader(data), io.Discard, &stderr); code != 0 {
					b.Fatalf("run() = %d, stderr %q", code, stderr.String())
				}
			}
			cpuPerOp(b, start, ok)
		})
	}
}
