package main

import (
	"fmt"
	"sync"
)

type Queue[T any] struct {
	items chan T
}

func NewQueue[T any](size int) *Queue[T] {
	return &Queue[T]{items: make(chan T, size)}
}

func (q *Queue[T]) Push(v T) { q.items <- v }

func (q *Queue[T]) Pop() (T, bool) {
	v, ok := <-q.items
	return v, ok
}

func (q *Queue[T]) Close() { close(q.items) }

type Order struct {
	ID  int
	Qty int
}

func produce(q *Queue[Order], orders []Order) error {
	defer q.Close()
	for _, o := range orders {
		if o.Qty <= 0 {
			return fmt.Errorf("order %d: invalid quantity %d", o.ID, o.Qty)
		}
		q.Push(o)
	}
	return nil
}

func consume(q *Queue[Order], mu *sync.Mutex, total *int) {
	for {
		o, ok := q.Pop()
		if !ok {
			return
		}
		mu.Lock()
		*total += o.Qty
		mu.Unlock()
	}
}

func main() {
	q := NewQueue[Order](8)
	var mu sync.Mutex
	total := 0
	for i := 0; i < 4; i++ {
		go consume(q, &mu, &total)
	}
	if err := produce(q, []Order{{1, 2}, {2, 5}, {3, 0}, {4, 1}}); err != nil {
		fmt.Println(err)
	}
	select {}
}
