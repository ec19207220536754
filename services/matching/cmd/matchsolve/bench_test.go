package main

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
	"github.com/talentbridge/platform/services/matching/internal/engine/instancejson"
)

// nrmpJSON is the NRMP-size instance (50,000 applicants, 6,500 programs) as matchsolve input.
func nrmpJSON(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := instancejson.Write(&buf, enginetest.NRMP(enginetest.NRMPOptions{Applicants: 50000, Seed: 1})); err != nil {
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
