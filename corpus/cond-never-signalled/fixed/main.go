package main

import (
	"fmt"
	"sync"
	"time"
)

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *queue) Put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func main() {
	q := newQueue()
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(q.Get()) }()
	}
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < 5; i++ {
		q.Put(i)
	}
	select {}
}
