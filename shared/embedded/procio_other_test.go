//go:build !linux

package embedded

import "testing"

// bytesWritten is not known outside Linux (see procio_linux_test.go).
func bytesWritten(*testing.B) int64 { return -1 }
