package a

import (
	"errors"
	"sync"
)

type Store struct {
	mu sync.Mutex
	rw sync.RWMutex
	m  map[string]int
}

// defer Unlock right after Lock.
func (s *Store) Get(k string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	if !ok {
		return 0, errors.New("missing")
	}
	return v, nil
}

// Unlock on every path.
func (s *Store) Set(k string, v int) error {
	s.rw.Lock()
	if v < 0 {
		s.rw.Unlock()
		return errors.New("negative")
	}
	s.m[k] = v
	s.rw.Unlock()
	return nil
}

// A deferred closure unlocks.
func (s *Store) Del(k string) {
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
	}()
	delete(s.m, k)
}

// A deferred helper unlocks.
func (s *Store) release() { s.mu.Unlock() }

func (s *Store) Clear() {
	s.mu.Lock()
	defer s.release()
	clear(s.m)
}

// A local closure that unlocks, called on every path.
func (s *Store) Inc(k string) int {
	s.mu.Lock()
	unlock := func() { s.mu.Unlock() }
	if k == "" {
		unlock()
		return 0
	}
	s.m[k]++
	v := s.m[k]
	unlock()
	return v
}

// The "...Locked" naming convention: the caller holds and releases the lock.
func (s *Store) growLocked(n int) {
	s.mu.Unlock()
	m := make(map[string]int, n)
	s.mu.Lock()
	s.m = m
}

// A lock helper: returns with the lock held on every path (the contract of lock()).
func (s *Store) lockAll() {
	s.mu.Lock()
	s.rw.Lock()
}

func (s *Store) unlockAll() {
	s.rw.Unlock()
	s.mu.Unlock()
}

func (s *Store) Swap(o map[string]int) {
	s.lockAll()
	defer s.unlockAll()
	s.m = o
}

// Conditional acquire returning bool (the caller unlocks when it returns true).
func (s *Store) tryAcquire(k string) bool {
	s.mu.Lock()
	if _, ok := s.m[k]; ok {
		s.mu.Unlock()
		return false
	}
	return true
}

// Returns an unlock function to the caller.
func (s *Store) Acquire(k string) (int, func()) {
	s.mu.Lock()
	if k == "" {
		s.mu.Unlock()
		return 0, func() {}
	}
	return s.m[k], func() { s.mu.Unlock() }
}

// Returns the method value s.mu.Unlock.
func (s *Store) Hold(k string) func() {
	s.mu.Lock()
	if k == "" {
		s.mu.Unlock()
		return func() {}
	}
	return s.mu.Unlock
}

// The lock is handed to a goroutine that unlocks it.
func (s *Store) Handoff(work func()) {
	s.mu.Lock()
	go func() {
		defer s.mu.Unlock()
		work()
	}()
}

// A panic path does not return normally.
func (s *Store) Must(k string) int {
	s.mu.Lock()
	v, ok := s.m[k]
	if !ok {
		panic("missing " + k)
	}
	s.mu.Unlock()
	return v
}

// TryLock: held only when it returned true.
func (s *Store) Poll() bool {
	if !s.mu.TryLock() {
		return false
	}
	s.m["poll"]++
	s.mu.Unlock()
	return true
}
