//go:build !unix

package instancejson

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
