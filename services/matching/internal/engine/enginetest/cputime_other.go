//go:build !unix

package enginetest

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
