package embedded

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// bytesWritten is what the process has handed to write(2) and its kin so far
// (wchar in /proc/self/io): the SQLite files' writes, WAL frames and
// checkpoints included. Unlike time, it does not depend on the machine's
// load. It is -1 where /proc/self/io cannot be read.
func bytesWritten(b *testing.B) int64 {
	b.Helper()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "wchar:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}
