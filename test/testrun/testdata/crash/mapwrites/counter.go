// Package mapwrites counts in a map from several goroutines without a lock: the
// runtime stops the binary with "fatal error: concurrent map writes".
package mapwrites

// Count adds one per key from n goroutines and returns without waiting.
func Count(m map[int]int, n int, done chan<- bool) {
	for i := 0; i < n; i++ {
		go func() {
			for j := 0; j < 1_000_000; j++ {
				m[j%8]++ // site: map-write
			}
			done <- true
		}()
	}
}
