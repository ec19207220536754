//go:build unix

package enginetest

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system. Benchmarks report it
// per operation next to wall time, because the shared benchmark machine is often busy
// and wall time then counts time spent waiting for a core.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
