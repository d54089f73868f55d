package main

import (
	"fmt"
	"sync"
	"time"
)

type Report struct {
	mu     sync.Mutex
	totals map[string]int
}

func (r *Report) aggregate(in <-chan [2]int, names []string, done chan<- struct{}) {
	for res := range in {
		r.mu.Lock()
		r.totals[names[res[0]]] += res[1]
		r.mu.Unlock()
	}
	close(done)
}

func (r *Report) Collect(regions []string) map[string]int {
	results := make(chan [2]int)
	done := make(chan struct{})
	go r.aggregate(results, regions, done)
	var wg sync.WaitGroup
	r.mu.Lock()
	r.totals = map[string]int{}
	for i := range regions {
		wg.Add(1)
		go func(idx int) {
			defer wg.Done()
			time.Sleep(5 * time.Millisecond) // query the region
			results <- [2]int{idx, 10 * (idx + 1)}
		}(i)
	}
	wg.Wait()
	r.mu.Unlock()
	close(results)
	<-done
	return r.totals
}

func main() {
	for i := 0; i < 3; i++ {
		r := &Report{}
		go func() { fmt.Println(r.Collect([]string{"eu", "us", "apac"})) }()
	}
	select {}
}
