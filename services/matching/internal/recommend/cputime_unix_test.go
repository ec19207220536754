//go:build unix

package recommend

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used. The
// machine is shared, so benchmarks report it next to wall time: it does not
// grow when other processes take the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
