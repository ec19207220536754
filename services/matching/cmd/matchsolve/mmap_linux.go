//go:build linux

package main

import (
	"os"
	"syscall"
)

// mapFile maps the regular file f, of size bytes, read-only into memory, so that a large
// instance is decoded where it lies in the page cache instead of being copied into a
// fresh buffer first: at 10× NRMP size (200 MB) the copy and the page faults on the
// buffer cost more system time than the mapping. MAP_POPULATE maps every page in the one
// call rather than fault by fault. ok is false when the file cannot be mapped; the caller
// then reads it. The bytes stay valid until release is called; the decoder copies what it
// keeps (ids, notes), so release may follow Decode at once.
func mapFile(f *os.File, size int64) (data []byte, release func(), ok bool) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { syscall.Munmap(data) }, true
}
