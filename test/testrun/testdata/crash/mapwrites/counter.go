// Package mapwrites counts in a map from several goroutines without a lock: the
// runtime stops the binary with "fatal error: concurrent map writes".
package mapwrites

import (
	"runtime"
	"sync/atomic"
)

// Count adds one per key from n goroutines and returns without waiting. The
// goroutines start writing together (a spin barrier), so their writes overlap.
func Count(m map[int]int, n int, done chan<- bool) {
	var ready atomic.Int32
	for i := 0; i < n; i++ {
		go func() {
			ready.Add(1)
			for ready.Load() < int32(n) {
				runtime.Gosched()
			}
			for j := 0; j < 5_000_000; j++ {
				m[j%8]++ // site: map-write
			}
			done <- true
		}()
	}
}
