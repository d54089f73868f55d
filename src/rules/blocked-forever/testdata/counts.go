package chans

import "sync"

// Symbolic counts: a field's length read by a range, a buffer of len(xs), and
// comparisons of a count with a constant.

type index struct {
	segs []string
}

// The first hit returns; the other segments that match block sending theirs, and the
// closer blocks on the WaitGroup. The range over ix.segs runs len(ix.segs) times.
func (ix *index) first(term string) string {
	found := make(chan string)
	var wg sync.WaitGroup
	for _, s := range ix.segs {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			if s == term {
				found <- s // want `blocks forever sending on "found"`
			}
		}(s)
	}
	go func() {
		wg.Wait() // want `blocks forever in wg.Wait\(\)`
		close(found)
	}()
	return <-found
}

// Fixed: a buffer of len(ix.segs) holds every hit, whatever the receiver does.
func (ix *index) firstBuffered(term string) string {
	found := make(chan string, len(ix.segs))
	var wg sync.WaitGroup
	for _, s := range ix.segs {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			if s == term {
				found <- s
			}
		}(s)
	}
	go func() {
		wg.Wait()
		close(found)
	}()
	return <-found
}

// A buffer of len(addrs) for one send per address: the early return leaves nobody blocked.
func firstOf(addrs []string) string {
	if len(addrs) == 0 {
		return ""
	}
	out := make(chan string, len(addrs))
	for _, a := range addrs {
		go func() { out <- a }()
	}
	return <-out
}

// The same count decides both tests: the receive happens exactly when the sender runs.
func sameCount(xs []int) {
	ch := make(chan int)
	if len(xs) > 0 {
		go func() { ch <- 1 }()
	}
	if len(xs) > 0 {
		<-ch
	}
}

// One sender when there is anything to do, but one receive per element.
func oneSenderPerBatch(xs []int) {
	ch := make(chan int)
	if len(xs) > 0 {
		go func() { ch <- 1 }()
	}
	for range xs {
		<-ch // want `blocks forever receiving from "ch"`
	}
}

// A threshold on data the model does not track may always hold: silent.
func healthyOnes(addrs []string, timeout func(string) int) []string {
	out := make(chan string, len(addrs))
	for _, a := range addrs {
		go func() {
			if timeout(a) > 0 {
				out <- a
			}
		}()
	}
	var res []string
	for range addrs {
		res = append(res, <-out)
	}
	return res
}
