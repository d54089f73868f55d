package a

import (
	"errors"
	"sync"
)

var errEmpty = errors.New("empty")

type Queue struct {
	mu    sync.Mutex
	items []int
}

// Pop forgets to unlock on the early error return.
func (q *Queue) Pop() (int, error) {
	q.mu.Lock() // want `q.mu is locked here and is still held at the return at line 19 \(no Unlock`
	if len(q.items) == 0 {
		return 0, errEmpty
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return v, nil
}

type Index struct {
	mu sync.RWMutex
	m  map[string]int
}

// Find returns from inside the loop with the read lock held.
func (x *Index) Find(keys []string) (int, error) {
	x.mu.RLock() // want `x.mu is locked here and is still held at the return at line 37 \(no RUnlock`
	for _, k := range keys {
		if v, ok := x.m[k]; ok {
			return v, nil
		}
	}
	x.mu.RUnlock()
	return 0, errEmpty
}

// A switch with one case that forgets.
func (x *Index) Kind(k string) string {
	x.mu.Lock() // want `x.mu is locked here and is still held at the return at line 52`
	switch x.m[k] {
	case 0:
		x.mu.Unlock()
		return "zero"
	case 1:
		return "one"
	}
	x.mu.Unlock()
	return "many"
}

// A package-level mutex and falling off the end of the function on one branch.
var (
	regMu sync.Mutex
	reg   = map[string]func(){}
)

func Register(name string, f func()) {
	regMu.Lock() // want `regMu is locked here and is still held at the end of Register`
	if _, dup := reg[name]; dup {
		regMu.Unlock()
		panic("duplicate " + name)
	}
	reg[name] = f
	if name != "" {
		regMu.Unlock()
	}
}

// An embedded mutex.
type Counter struct {
	sync.Mutex
	n int
}

func (c *Counter) Incr(limit int) error {
	c.Lock() // want `c.Mutex is locked here and is still held at the return at line 85`
	if c.n >= limit {
		return errors.New("limit")
	}
	c.n++
	c.Unlock()
	return nil
}

// A local mutex that is never unlocked.
func localNever(xs []int) int {
	var mu sync.Mutex
	mu.Lock() // want `mu is locked here and is still held at the return at line 96`
	return len(xs)
}

// The lock is taken through a helper and the early return forgets it.
func (q *Queue) lock() { q.mu.Lock() }

func (q *Queue) Peek() (int, error) {
	q.lock() // want `q.mu is acquired through this call and is still held at the return at line 105`
	if len(q.items) == 0 {
		return 0, errEmpty
	}
	v := q.items[0]
	q.mu.Unlock()
	return v, nil
}

// In a goroutine: the worker returns early holding the lock.
func (q *Queue) Drain(stop func() bool) {
	go func() {
		for {
			q.mu.Lock() // want `q.mu is locked here and is still held at the return at line 118`
			if stop() {
				return
			}
			q.items = q.items[:0]
			q.mu.Unlock()
		}
	}()
}

// The unlock helper is only called on one branch.
func (q *Queue) unlock() { q.mu.Unlock() }

func (q *Queue) Push(v int) error {
	q.mu.Lock() // want `q.mu is locked here and is still held at the return at line 132`
	if v < 0 {
		return errors.New("negative")
	}
	q.items = append(q.items, v)
	q.unlock()
	return nil
}

// A parameter's mutex.
func Fill(q *Queue, n int) error {
	q.mu.Lock() // want `q.mu is locked here and is still held at the return at line 144`
	for i := 0; i < n; i++ {
		if i > 100 {
			return errors.New("too many")
		}
		q.items = append(q.items, i)
	}
	q.mu.Unlock()
	return nil
}
