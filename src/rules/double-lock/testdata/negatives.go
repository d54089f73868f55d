package a

import "sync"

type Store struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	data map[string]int
}

// Lock, unlock, lock again: fine.
func (s *Store) Twice() {
	s.mu.Lock()
	s.data["a"] = 1
	s.mu.Unlock()
	s.mu.Lock()
	s.data["b"] = 2
	s.mu.Unlock()
}

// Two different mutexes.
func (s *Store) Both() {
	s.mu.Lock()
	s.rw.Lock()
	s.data["c"] = 3
	s.rw.Unlock()
	s.mu.Unlock()
}

// Two instances of the same type are different locks.
func Transfer(a, b *Store) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	a.data["x"], b.data["x"] = b.data["x"], a.data["x"]
}

// The callee expects the lock held ("...Locked" convention) and does not lock.
func (s *Store) Put(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(k, v)
}

func (s *Store) putLocked(k string, v int) { s.data[k] = v }

// Unlock before calling a method that locks.
func (s *Store) Refresh() {
	s.mu.Lock()
	n := len(s.data)
	s.mu.Unlock()
	if n == 0 {
		s.Put("init", 0)
	}
}

// The callee drops and re-takes the lock that the caller holds.
func (s *Store) Slow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waitUnlocked()
}

func (s *Store) waitUnlocked() {
	s.mu.Unlock()
	defer s.mu.Lock()
	work()
}

func work() {}

// Unlock on every branch before the next iteration.
func (s *Store) Loop(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		if k == "" {
			s.mu.Unlock()
			continue
		}
		s.data[k]++
		s.mu.Unlock()
	}
}

// A goroutine locks the mutex: a different goroutine, not a double lock.
func (s *Store) Async() {
	s.mu.Lock()
	defer s.mu.Unlock()
	go func() {
		s.mu.Lock()
		s.data["async"] = 1
		s.mu.Unlock()
	}()
}

// TryLock is not a blocking lock.
func (s *Store) Try() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.rw.TryLock()
}

// Read lock released before the write lock (the upgrade done right).
func (s *Store) Upgrade(k string) int {
	s.rw.RLock()
	v, ok := s.data[k]
	s.rw.RUnlock()
	if ok {
		return v
	}
	s.rw.Lock()
	defer s.rw.Unlock()
	s.data[k] = 1
	return 1
}

// A callback stored for later is not run while the lock is held.
func (s *Store) Later() func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.data["later"] = 1
		s.mu.Unlock()
	}
}

// Different elements of a slice of mutexes are not named (index expressions): silent.
func shards(ms []sync.Mutex, i, j int) {
	ms[i].Lock()
	ms[j].Lock()
	ms[j].Unlock()
	ms[i].Unlock()
}

// A value-receiver method works on a copy: its lock is another mutex.
type Counter struct {
	mu sync.Mutex
	n  int
}

func (c Counter) Peek() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (c *Counter) Show() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Peek()
}

// The lock helper acquires, the caller releases before locking again.
func (c *Counter) lock() { c.mu.Lock() }

func (c *Counter) Add() {
	c.lock()
	c.n++
	c.mu.Unlock()
	c.lock()
	c.n++
	c.mu.Unlock()
}
