package a

import (
	"errors"
	"sync"
)

// Locks released through function values and wrapper methods.

func releaseOnce(l sync.Locker) func() {
	var once sync.Once
	return func() { once.Do(l.Unlock) }
}

type gateway struct {
	lock  sync.Mutex
	ready bool
}

// The deferred releaser runs at every return (and is a no-op after the early call).
func (g *gateway) Open() error {
	g.lock.Lock()
	release := releaseOnce(&g.lock)
	defer release()
	if g.ready {
		return errors.New("open")
	}
	g.ready = true
	release()
	return nil
}

// Callers of Open do not get the lock held.
func (g *gateway) Reopen() error {
	if err := g.Open(); err != nil {
		return err
	}
	g.lock.Lock()
	g.ready = false
	g.lock.Unlock()
	return nil
}

func (g *gateway) Prepare(fail bool) error {
	g.lock.Lock() // want `g.lock is locked here and is still held at the return at line 48`
	release := releaseOnce(&g.lock)
	if fail {
		return errors.New("prepare")
	}
	release()
	return nil
}

// A context locked by one method and released by a wrapper that takes an argument and
// defers the Unlock.
type execCtx struct {
	mu  sync.Mutex
	err error
}

func (c *execCtx) Lock() { c.mu.Lock() }

func (c *execCtx) Unlock(err error) {
	defer c.mu.Unlock()
	c.err = err
}

func evict(c *execCtx) {
	c.Lock()
	c.Unlock(errors.New("evicted"))
}

func evictUnless(c *execCtx, keep bool) {
	c.Lock() // want `c.mu is locked here and is still held at the return at line 76`
	if keep {
		return
	}
	c.Unlock(nil)
}
