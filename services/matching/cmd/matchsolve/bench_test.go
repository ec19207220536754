package main

import (
	"bytes"
	"io"
	"testing"

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

// benchRun runs the whole command in-process on data: decode, solve, check, encode.
func benchRun(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		var stderr bytes.Buffer
		if code := run(nil, bytes.NewReader(data), io.Discard, &stderr); code != 0 {
			b.Fatalf("run() = %d, stderr %q", code, stderr.String())
		}
	}
	cpu.Report(b)
}

// BenchmarkRunNRMP is the whole command on the NRMP-size instance.
func BenchmarkRunNRMP(b *testing.B) { benchRun(b, nrmpJSON(b)) }

// BenchmarkRunNRMPPolicies is BenchmarkRunNRMP beside the same instance with 12 regions and
// reserves on 60 % of programs, so that the two can be compared within one run.
func BenchmarkRunNRMPPolicies(b *testing.B) {
	for _, tc := range []struct {
		name     string
		policies bool
	}{{"plain", false}, {"policies", true}} {
		b.Run(tc.name, func(b *testing.B) { benchRun(b, nrmpJSON(b, tc.policies)) })
	}
}
