package main

import (
	"sync"
	"sync/atomic"
)

type gate struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready atomic.Bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) wait() {
	g.mu.Lock()
	if !g.ready.Load() {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// open sets the flag and signals without taking the lock: a waiter that checked
// the flag but has not started waiting misses the signal.
func (g *gate) open() {
	g.ready.Store(true)
	g.cond.Signal()
}

func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i
	}
	return s
}

var sink int

func main() {
	for i := 0; i < 5; i++ {
		g := newGate()
		go g.wait()
		sink += spin(20000)
		g.open()
	}
	select {}
}
