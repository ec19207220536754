package instancejson

import (
	"bufio"
	"bytes"
	"io"
	"testing"

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

func BenchmarkDecodeNRMP(b *testing.B) {
	data := nrmpJSON(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}

// BenchmarkDecode10x decodes the 10× NRMP instance (500,000 applicants, 65,000 programs,
// about 200 MB), whose symbol tables no longer fit the cache.
func BenchmarkDecode10x(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, enginetest.NRMP(enginetest.NRMPOptions{Applicants: 500000, Seed: 1})); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
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
	cpu := enginetest.StartCPU()
	for b.Loop() {
		w := bufioDiscard()
		WriteResult(w, in, m, engine.Certificate{}, nil)
		w.Flush()
	}
	cpu.Report(b)
}

func bufioDiscard() *bufio.Writer { return bufio.NewWriterSize(io.Discard, 1<<16) }

// BenchmarkDecodeNRMPEncodingJSON decodes the same input into the same ids with
// encoding/json and Go maps: the baseline Decode is measured against.
func BenchmarkDecodeNRMPEncodingJSON(b *testing.B) { benchDecode(b, decodeEncodingJSON) }

func benchDecode(b *testing.B, decode func([]byte) (*engine.Instance, error)) {
	data := nrmpJSON(b)
	want, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	if got, err := decode(data); err != nil || !sameInstance(got, want) {
		b.Fatalf("decode(NRMP) differs from Decode (err %v)", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := enginetest.StartCPU()
	for b.Loop() {
		if _, err := decode(data); err != nil {
			b.Fatal(err)
		}
	}
	cpu.Report(b)
}
