package main

import (
	"fmt"
	"sync"
)

type stats struct {
	mu   sync.Mutex
	hits map[string]int
}

func (s *stats) record(path string) {
	s.mu.Lock()
	s.hits[path]++
	s.mu.Unlock()
}

func main() {
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
	select {}
}
