package a

import (
	"fmt"
	"sync"
)

// A receive-only result that is, on one path, a channel made and kept nowhere
// (corpus case lazy-done-channel-not-stored).

type lazyConn struct {
	mu   sync.Mutex
	done chan struct{}
}

func (c *lazyConn) doneCh() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		return make(chan struct{})
	}
	return c.done
}

func (c *lazyConn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	close(c.done)
}

func watchLazy(c *lazyConn) {
	done := c.doneCh()
	<-done // want "blocks forever when lazyConn.doneCh returns the channel it makes"
	fmt.Println("closed")
}

func watchLazyInline(c *lazyConn) {
	<-c.doneCh() // want "blocks forever when lazyConn.doneCh returns the channel it makes"
}

func startWatchers(c *lazyConn) {
	go watchLazy(c)
	go watchLazyInline(c)
	c.close()
}

// The lazily made channel is stored: close closes it.
type storedConn struct {
	mu   sync.Mutex
	done chan struct{}
}

func (c *storedConn) doneCh() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	return c.done
}

func (c *storedConn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
	}
	close(c.done)
}

func watchStored(c *storedConn) {
	<-c.doneCh()
}

func startStored(c *storedConn) {
	go watchStored(c)
	c.close()
}

// A channel that never fires, waited on in a select with another case: meant so.
type neverTimer struct{}

func (neverTimer) fired() <-chan struct{} { return make(chan struct{}) }

func waitEither(t neverTimer, quit chan struct{}) {
	select {
	case <-t.fired():
	case <-quit:
	}
}

func startEither() {
	quit := make(chan struct{})
	go waitEither(neverTimer{}, quit)
	close(quit)
}

// A closed channel replaces the one waiters hold (corpus case restart-replaces-done-channel).
type restarter struct {
	done chan struct{}
}

func (s *restarter) start(gen int) {
	done := s.done
	go func() {
		<-done // want "closes a channel made on the line before it"
		fmt.Println("generation", gen, "stopped")
	}()
}

func (s *restarter) restart(gen int) {
	s.done = make(chan struct{})
	close(s.done)
	s.start(gen)
}

func runRestarter() {
	s := &restarter{done: make(chan struct{})}
	s.start(0)
	for gen := 1; gen <= 3; gen++ {
		s.restart(gen)
	}
}

// Closed before it is replaced: every waiter is released.
type restarter2 struct {
	done chan struct{}
}

func (s *restarter2) start() {
	done := s.done
	go func() { <-done }()
}

func (s *restarter2) restart() {
	close(s.done)
	s.done = make(chan struct{})
	s.start()
}

func runRestarter2() {
	s := &restarter2{done: make(chan struct{})}
	s.start()
	s.restart()
}
