package main

import (
	"fmt"
	"sync"
)

type Barrier struct {
	mu      sync.Mutex
	cond    *sync.Cond
	n       int
	arrived int
}

func NewBarrier(n int) *Barrier {
	b := &Barrier{n: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *Barrier) Await() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.arrived++
	if b.arrived == b.n {
		b.arrived = 0
		b.cond.Broadcast()
		return
	}
	for b.arrived < b.n {
		b.cond.Wait()
	}
}

func main() {
	const workers = 4
	b := NewBarrier(workers)
	for w := 0; w < workers; w++ {
		go func(id int) {
			for step := 0; step < 2; step++ {
				b.Await()
				fmt.Println("worker", id, "passed step", step)
			}
		}(w)
	}
	select {}
}
