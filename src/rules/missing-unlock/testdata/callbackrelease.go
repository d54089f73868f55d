package a

import (
	"context"
	"errors"
	"sync"
)

type commitGroup struct {
	commitMu sync.RWMutex
	mu       sync.Mutex
	n        int
}

type commitClient struct{ group *commitGroup }

func (g *commitGroup) commit(ctx context.Context, done func(error)) {
	go func() {
		<-ctx.Done()
		done(ctx.Err())
	}()
}

// Read locks released by closures that are handed to code that runs them later: the
// unlock goes with the closure (also through another closure that calls it).

// The read lock is released by a closure that reaches commit through another closure.
func (c *commitClient) Commit(ctx context.Context, done func(error)) {
	g := c.group
	g.commitMu.RLock()
	release := func(err error) {
		defer g.commitMu.RUnlock()
		done(err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	wrapped := func(err error) {
		release(err)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.n--
	}
	g.commit(ctx, wrapped)
}

// Handed over directly.
func (c *commitClient) CommitDirect(ctx context.Context, done func(error)) {
	g := c.group
	g.commitMu.RLock()
	g.commit(ctx, func(err error) {
		defer g.commitMu.RUnlock()
		done(err)
	})
}

// Stored in a field for later.
type pendingFinish struct{ finish func() }

func (c *commitClient) Stash(p *pendingFinish) {
	g := c.group
	g.commitMu.RLock()
	p.finish = func() { g.commitMu.RUnlock() }
}

// Started as a goroutine.
func (c *commitClient) Background() {
	g := c.group
	g.commitMu.RLock()
	rel := func() { g.commitMu.RUnlock() }
	go func() { rel() }()
}

// The releaser is handed over on one path and neither called nor handed over on the
// error path: a leak, but the escaped releaser silences the whole function (not known).
func (c *commitClient) CommitOrFail(ctx context.Context, fail bool, done func(error)) error {
	g := c.group
	g.commitMu.RLock()
	release := func(err error) {
		defer g.commitMu.RUnlock()
		done(err)
	}
	if fail {
		return errors.New("fail")
	}
	g.commit(ctx, release)
	return nil
}

// The closure handed over does not reach the unlock.
func (c *commitClient) CommitLeak(ctx context.Context, done func(error)) {
	g := c.group
	g.commitMu.RLock() // want `g.commitMu is locked here and is still held at the end of commitClient.CommitLeak`
	g.commit(ctx, func(err error) { done(err) })
}
