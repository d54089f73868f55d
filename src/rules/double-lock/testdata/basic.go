package a

import (
	"errors"
	"sync"
)

type Cache struct {
	mu    sync.Mutex
	items map[string]string
}

// Get locks c.mu and calls c.load, which locks c.mu again.
func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.items[k]; ok {
		return v
	}
	return c.load(k) // want `calling Cache.load Locks c.mu \(line 24\) while this goroutine already holds it`
}

func (c *Cache) load(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := "v:" + k
	c.items[k] = v
	return v
}

// Len calls a helper two levels down that locks.
func (c *Cache) Len() int {
	c.mu.Lock()
	n := c.size() // want `calling Cache.size → Cache.count Locks c.mu`
	c.mu.Unlock()
	return n
}

func (c *Cache) size() int { return c.count() }

func (c *Cache) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

type Registry struct {
	sync.RWMutex
	m map[string]int
}

// Lookup takes the read lock and then the write lock of the embedded RWMutex.
func (r *Registry) Lookup(k string) int {
	r.RLock()
	v, ok := r.m[k]
	if !ok {
		r.Lock() // want `r.RWMutex.Lock\(\) is called while r.RWMutex is already held \(RLock at line 54.*Lock waits for every reader`
		r.m[k] = 0
		r.Unlock()
	}
	r.RUnlock()
	return v
}

// Names takes the read lock and calls a method that takes it again (recursive RLock).
func (r *Registry) Names() []string {
	r.RLock()
	defer r.RUnlock()
	out := make([]string, 0, r.n()) // want `calling Registry.n RLocks r.RWMutex`
	for k := range r.m {
		out = append(out, k)
	}
	return out
}

func (r *Registry) n() int {
	r.RLock() // not reported here: the caller is
	defer r.RUnlock()
	return len(r.m)
}

// Count is the caller of a recursive RLock through a method.
func (r *Registry) Count() int {
	r.RLock()
	defer r.RUnlock()
	return r.n() // want `calling Registry.n RLocks r.RWMutex.*recursive RLock deadlocks`
}

var errClosed = errors.New("closed")

type Conn struct {
	mu     sync.Mutex
	closed bool
}

// Write forgets to unlock on the early-return path inside a loop: the next iteration deadlocks.
func (c *Conn) Write(bufs [][]byte) error {
	for _, b := range bufs {
		c.mu.Lock() // want `c.mu.Lock\(\) is called while c.mu is already held \(Lock at line 99`
		if len(b) == 0 {
			continue
		}
		if c.closed {
			c.mu.Unlock()
			return errClosed
		}
		c.mu.Unlock()
	}
	return nil
}

// Update locks through a parameter and calls a function locking the same parameter.
func Update(c *Cache, k, v string) {
	c.mu.Lock()
	set(c, k, v) // want `calling set Locks c.mu`
	c.mu.Unlock()
}

func set(c *Cache, k, v string) {
	c.mu.Lock()
	c.items[k] = v
	c.mu.Unlock()
}

type Stats struct {
	mu sync.RWMutex
	n  int
}

// Inc takes the write lock and then the read lock.
func (s *Stats) Inc() {
	s.mu.Lock()
	s.n++
	s.mu.RLock() // want `s.mu.RLock\(\) is called while s.mu is already held \(Lock at line 132.*RLock waits for the writer`
	_ = s.n
	s.mu.RUnlock()
	s.mu.Unlock()
}

// Reset: a local alias of the field is the same lock.
func (s *Stats) Reset() {
	mu := &s.mu
	mu.Lock()
	s.mu.Lock() // want `s.mu.Lock\(\) is called while s.mu is already held`
	s.n = 0
	s.mu.Unlock()
}

// Local mutex locked in a closure called in place while held.
func localClosure() int {
	var m sync.Mutex
	n := 0
	m.Lock()
	func() { // want `calling the function literal Locks m .*while this goroutine already holds it`
		m.Lock()
		n++
		m.Unlock()
	}()
	m.Unlock()
	return n
}
