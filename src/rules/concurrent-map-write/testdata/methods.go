package a

import (
	"fmt"
	"sync"
)

type stats struct {
	hits map[string]int
}

func (s *stats) record(path string) {
	s.hits[path]++ // want `map "s.hits" is written at line \d+ by stats.record, which every goroutine started in the loop at line \d+ calls on the same s with no mutex held`
}

func serveAll() {
	s := &stats{hits: map[string]int{}}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s.record(fmt.Sprint("/page/", i%2))
		}(i)
	}
	wg.Wait()
}

type lockedStats struct {
	mu   sync.Mutex
	hits map[string]int
}

// record (negative): locked.
func (s *lockedStats) record(path string) {
	s.mu.Lock()
	s.hits[path]++
	s.mu.Unlock()
}

func serveLocked() {
	s := &lockedStats{hits: map[string]int{}}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s.record(fmt.Sprint(i))
		}(i)
	}
	wg.Wait()
}

type perWorker struct {
	seen map[int]bool
}

func (p *perWorker) mark(i int) { p.seen[i] = true }

// servePerIteration (negative): each goroutine has its own value.
func servePerIteration() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		p := &perWorker{seen: map[int]bool{}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.mark(i)
		}()
	}
	wg.Wait()
}

type tally struct {
	n map[string]int
}

func (t *tally) bump(k string) { t.n[k]++ }

// serveOneAtATime (negative): each goroutine is waited for before the next starts.
func serveOneAtATime() {
	t := &tally{n: map[string]int{}}
	for i := 0; i < 4; i++ {
		done := make(chan struct{})
		go func() {
			defer close(done)
			t.bump("x")
		}()
		<-done
	}
}
