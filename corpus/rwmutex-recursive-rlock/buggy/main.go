package main

import (
	"fmt"
	"sync"
	"time"
)

type registry struct {
	mu    sync.RWMutex
	names map[string]int
}

func (r *registry) lookup(n string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[n]
}

func (r *registry) Describe(n string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	time.Sleep(80 * time.Millisecond)
	return fmt.Sprint(n, "=", r.lookup(n))
}

func (r *registry) Set(n string, v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[n] = v
}

func main() {
	r := &registry{names: map[string]int{}}
	go func() { fmt.Println(r.Describe("a")) }()
	time.Sleep(20 * time.Millisecond)
	go r.Set("a", 1)
	select {}
}
