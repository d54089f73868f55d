// Package b is clean.
package b

// Sum adds in a goroutine and waits for it.
func Sum(xs []int) int {
	out := make(chan int)
	go func() {
		s := 0
		for _, x := range xs {
			s += x
		}
		out <- s
	}()
	return <-out
}
