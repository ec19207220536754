package engine

// twoCores runs f(0) here and f(1) on a second goroutine, and returns when both are done.
// Callers give each half its own part of the work and of the memory it writes.
func twoCores(f func(half int)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(1)
	}()
	f(0)
	<-done
}
