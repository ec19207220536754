package instancejson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// nrmpJSON is the NRMP-size instance (50,000 applicants, 6,500 programs) as matchsolve input.
func nrmpJSON(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, enginetest.NRMP(enginetest.NRMPOptions{Applicants: 50000, Seed: 1})); err != nil {
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

func BenchmarkDecodeNRMP(b *testing.B) {
	data := nrmpJSON(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	cpuPerOp(b, start, ok)
}

func BenchmarkEncodeNRMP(b *testing.B) {
	data := nrmpJSON(b)
	in, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	m, err := engine.Solve(in, engine.ApplicantOptimal)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		w := bufioDiscard()
		WriteResult(w, in, m, engine.Certificate{}, nil)
		w.Flush()
	}
	cpuPerOp(b, start, ok)
}

func bufioDiscard() *bufio.Writer { return bufio.NewWriterSize(io.Discard, 1<<16) }

// BenchmarkDecodeNRMPEncodingJSON measures what encoding/json alone takes to unmarshal the
// same input into plain structs, before any id is resolved: the baseline that the
// hand-written decoder was written to beat.
func BenchmarkDecodeNRMPEncodingJSON(b *testing.B) {
	data := nrmpJSON(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start, ok := processCPU()
	for b.Loop() {
		var v struct {
			Applicants []struct {
				ID    string   `json:"id"`
				Prefs []string `json:"prefs"`
			} `json:"applicants"`
			Programs []struct {
				ID       string `json:"id"`
				Capacity int    `json:"capacity"`
				Prefs    []any  `json:"prefs"` // strings, or arrays of them for ties
			} `json:"programs"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
	cpuPerOp(b, start, ok)
}
