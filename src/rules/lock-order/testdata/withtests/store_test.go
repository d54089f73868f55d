package withtests

import (
	"sync"
	"testing"
)

func TestPending(t *testing.T) {
	c := &client{sess: &session{}}
	c.mu.Lock()
	sess := c.sess
	sess.mu.Lock() // want `acquires sess\.mu here while holding c\.mu .*only the test`
	n := sess.pending
	sess.mu.Unlock()
	c.mu.Unlock()
	if n != 0 {
		t.Fatal(n)
	}
}

// Both orders in tests: the test suite itself can deadlock.
type fakeLog struct {
	mu  sync.Mutex
	out *filter
}

type filter struct {
	mu  sync.Mutex
	buf []byte
}

func (l *fakeLog) Write(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.out.mu.Lock() // want `lock order inversion: fakeLog.Write acquires l.out.mu here while holding l.mu`
	l.out.buf = append(l.out.buf, p...)
	l.out.mu.Unlock()
}

func restore(l *fakeLog, f *filter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l.mu.Lock() // want `acquires l\.mu here while holding f\.mu`
	l.out = nil
	l.mu.Unlock()
}

// The two orders in two different tests, which do not run at the same time (info).
type pool struct {
	mu    sync.Mutex
	conns []*conn
}

type conn struct {
	mu   sync.Mutex
	busy bool
}

// One pool shared by the two tests (with a pool per test they could never deadlock: two
// allocations are two mutexes, see instances.go).
var sharedPool = &pool{conns: []*conn{{}}}

func TestPoolFirst(t *testing.T) {
	p := sharedPool
	p.mu.Lock()
	c := p.conns[0]
	c.mu.Lock() // want `acquires c.mu here while holding p.mu .*the two orders are in two tests \(TestPoolFirst, TestConnFirst\)`
	c.busy = true
	c.mu.Unlock()
	p.mu.Unlock()
}

func TestConnFirst(t *testing.T) {
	p := sharedPool
	c := p.conns[0]
	c.mu.Lock()
	p.mu.Lock() // want `acquires p\.mu here while holding c\.mu .*two tests`
	p.conns = nil
	p.mu.Unlock()
	c.mu.Unlock()
}
