package main

import (
	"fmt"
	"sync"
	"time"
)

type Batcher struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	results []int
	closed  bool
}

func (b *Batcher) Submit(batch []int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.wg.Add(1)
	go b.process(batch)
	return true
}

func (b *Batcher) process(batch []int) {
	defer b.wg.Done()
	sum := 0
	for _, v := range batch {
		sum += v
	}
	time.Sleep(30 * time.Millisecond) // write the batch to the warehouse
	b.mu.Lock()
	b.results = append(b.results, sum)
	b.mu.Unlock()
}

func (b *Batcher) Shutdown() []int {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.wg.Wait()
	return b.results
}

func main() {
	for i := 0; i < 3; i++ {
		b := &Batcher{}
		go func(shard int) {
			b.Submit([]int{1, 2, 3})
			b.Submit([]int{4, 5})
			fmt.Println("shard", shard, b.Shutdown())
		}(i)
	}
	select {}
}
