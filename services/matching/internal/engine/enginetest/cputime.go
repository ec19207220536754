package enginetest

import (
	"testing"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// CPUMeter reports a benchmark's CPU time per operation, user and system, next to its
// wall time: the shared benchmark machine is often busy, and wall time then counts time
// spent waiting for a core. Run with -cpu 1 for a figure per core.
type CPUMeter struct {
	start time.Duration
	ok    bool
}

// StartCPU starts measuring; call it just before the benchmark loop.
func StartCPU() CPUMeter {
	t, ok := processCPU()
	return CPUMeter{t, ok}
}

// Report adds cpu-ns/op, where the platform can measure process CPU time.
func (m CPUMeter) Report(b *testing.B) {
	if t, ok := processCPU(); ok && m.ok {
		b.ReportMetric(float64((t-m.start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// ReportPerEntry adds CPU time per list entry of in (applicant and program lists
// together), the figure that stays flat when the work is linear in the input size.
func (m CPUMeter) ReportPerEntry(b *testing.B, in *engine.Instance) {
	if t, ok := processCPU(); ok && m.ok {
		b.ReportMetric(float64((t-m.start).Nanoseconds())/float64(b.N)/float64(Entries(in)), "cpu-ns/entry")
	}
}
