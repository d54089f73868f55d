package main

import (
	"fmt"
	"sync"
	"time"
)

type WorkQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []string
	closed bool
}

func NewWorkQueue() *WorkQueue {
	q := &WorkQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *WorkQueue) Put(item string) {
	q.mu.Lock()
	q.items = append(q.items, item)
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *WorkQueue) Get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item, true
}

func (q *WorkQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func main() {
	q := NewWorkQueue()
	var done sync.WaitGroup
	for w := 0; w < 4; w++ {
		done.Add(1)
		go func(id int) {
			defer done.Done()
			for {
				item, ok := q.Get()
				if !ok {
					return
				}
				fmt.Println("worker", id, "resized", item)
			}
		}(w)
	}
	for i := 0; i < 6; i++ {
		q.Put(fmt.Sprintf("img-%d.png", i))
	}
	time.Sleep(100 * time.Millisecond) // serve until shutdown
	q.Close()
	go func() {
		done.Wait()
		fmt.Println("all workers stopped")
	}()
	select {}
}
