//go:build linux

package main

import (
	"runtime"
	"syscall"
)

// maxHugeHeap bounds the address range preferHugePages sets aside: the range is never
// touched, but it still counts against the kernel's overcommit limit, and a refused
// request would stop the process.
const maxHugeHeap = 2 << 30

// preferHugePages asks the kernel to back the next n bytes of heap this process grows
// into with 2 MiB pages (transparent huge pages, MADV_HUGEPAGE) where it can. Decoding,
// solving and checking a large instance read and write hundreds of MB at random — the
// symbol tables, the rank arrays, the programs' holdings — and with 4 KiB pages most of
// those accesses also miss the TLB. Go's heap does not ask for huge pages itself, so this
// allocates n bytes without touching them, marks the range, and frees it again: the
// runtime hands out the lowest free addresses first, so the arrays allocated next reuse
// the marked range. On the 10× NRMP file with policies this cut user CPU by about a
// quarter (docs/BENCHMARKS.md, "Policy solve and checker at 10×"). Where the system
// disables huge pages the mark has no effect.
func preferHugePages(n int) {
	b := make([]byte, min(n, maxHugeHeap))
	syscall.Madvise(b, syscall.MADV_HUGEPAGE) // best effort: without it, 4 KiB pages as before
	b = nil
	runtime.GC()
}
