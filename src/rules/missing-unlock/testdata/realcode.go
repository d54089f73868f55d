package a

// Families found on real code (bench/triage/realcode.md, issue 11), written from the
// shapes, not copied.

import (
	"errors"
	"sync"
)

type blockStore struct {
	mu     sync.Mutex
	blocks []*block
	cb     func(int)
}

type block struct {
	mu     sync.Mutex
	closed bool
	n      int
}

func rpc() error { return nil }

// Family 9: a callee entered with the lock held releases it around slow work and takes
// it again before every return. Returning locked is its contract with the caller.
// Lock should be held.
func (s *blockStore) firstLive() (int, error) {
	for _, b := range s.blocks {
		s.mu.Unlock()
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			s.mu.Lock()
			continue
		}
		if err := rpc(); err != nil {
			b.mu.Unlock()
			s.mu.Lock()
			return 0, err
		}
		n := b.n
		b.mu.Unlock()
		s.mu.Lock()
		return n, nil
	}
	return 0, nil
}

// Lock should be held; releases it only when a callback is registered.
func (s *blockStore) purge(n int) error {
	if len(s.blocks) == 0 {
		return errors.New("empty")
	}
	if cb := s.cb; cb != nil {
		s.mu.Unlock()
		cb(-n)
		s.mu.Lock()
	}
	return nil
}

// The caller of both: holds the lock over the calls and unlocks once.
func (s *blockStore) Purge() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.purge(1); err != nil {
		return 0, err
	}
	return s.firstLive()
}

// The positive twin: a fresh Lock (not the caller's lock released and taken back) that
// an error path returns without unlocking.
func (s *blockStore) reopen() error {
	s.mu.Lock() // want `s.mu is locked here and is still held at the return at line 78`
	if err := rpc(); err != nil {
		return err
	}
	s.mu.Unlock()
	return nil
}

// A constant condition: the return under `if false` is dead code.
func noDeferUnlock(mu *sync.Mutex) {
	mu.Lock()
	if false {
		return
	}
	mu.Unlock()
}

const tracing = false

func traced(mu *sync.Mutex) {
	mu.Lock()
	if tracing {
		return
	}
	mu.Unlock()
}

// The twin with a condition that can be true.
func maybeTraced(mu *sync.Mutex, on bool) {
	mu.Lock() // want `mu is locked here and is still held at the return at line 107`
	if on {
		return
	}
	mu.Unlock()
}

// The lock is handed to a goroutine whose body (a same-package method) unlocks it.
type addrConn struct {
	mu    sync.Mutex
	addrs []string
	state int
}

func (ac *addrConn) resetAndUnlock() {
	ac.state = 0
	ac.mu.Unlock()
	_ = rpc()
}

func (ac *addrConn) update(addrs []string) {
	ac.mu.Lock()
	if len(addrs) == len(ac.addrs) {
		ac.mu.Unlock()
		return
	}
	ac.addrs = addrs
	go ac.resetAndUnlock()
}

// The twin: the goroutine does not unlock, so the early path leaks the lock.
func (ac *addrConn) reset() { ac.state = 0 }

func (ac *addrConn) update2(addrs []string) {
	ac.mu.Lock() // want `ac.mu is locked here and is still held at the end of addrConn.update2`
	if len(addrs) == len(ac.addrs) {
		ac.mu.Unlock()
		return
	}
	ac.addrs = addrs
	go ac.reset()
}
