package main

import (
	"fmt"
	"sync"
	"time"
)

type Ring struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	items    []int
	cap      int
}

func NewRing(n int) *Ring {
	r := &Ring{cap: n}
	r.notEmpty = sync.NewCond(&r.mu)
	r.notFull = sync.NewCond(&r.mu)
	return r
}

func (r *Ring) Put(v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.items) == r.cap {
		r.notFull.Wait()
	}
	r.items = append(r.items, v)
	r.notFull.Signal()
}

func (r *Ring) Get() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.items) == 0 {
		r.notEmpty.Wait()
	}
	v := r.items[0]
	r.items = r.items[1:]
	r.notFull.Signal()
	return v
}

func main() {
	r := NewRing(2)
	for c := 0; c < 2; c++ {
		go func(id int) {
			for i := 0; i < 3; i++ {
				fmt.Println("consumer", id, "got", r.Get())
			}
		}(c)
	}
	time.Sleep(20 * time.Millisecond) // consumers are subscribed
	for p := 0; p < 2; p++ {
		go func(id int) {
			for i := 0; i < 3; i++ {
				r.Put(id*100 + i)
			}
		}(p)
	}
	select {}
}
