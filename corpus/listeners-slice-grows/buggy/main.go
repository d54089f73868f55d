package main

import (
	"fmt"
	"sync"
)

type emitter struct {
	mu        sync.Mutex
	listeners map[int]func(string)
	next      int
}

var onReload = &emitter{listeners: map[int]func(string){}}

func (e *emitter) On(f func(string)) (off func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.next++
	id := e.next
	e.listeners[id] = f
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.listeners, id)
	}
}

func handle(i int) int {
	scratch := make([]byte, 8192)
	off := onReload.On(func(s string) { copy(scratch, s) })
	_ = off
	return len(scratch) + i
}

func main() {
	n := 0
	for i := 0; i < 400; i++ {
		n += handle(i)
	}
	fmt.Println(n)
	select {}
}
