package a

import "sync"

// Locks reached through a sync.Locker: a Cond's L (the mutex given to sync.NewCond) and a
// Locker field that only ever holds a fresh *sync.Mutex.
type buffer struct {
	mu    sync.Mutex
	avail *sync.Cond
	data  []byte
}

func newBuffer() *buffer {
	b := &buffer{}
	b.avail = sync.NewCond(&b.mu)
	return b
}

func (b *buffer) size() int {
	b.avail.L.Lock()
	defer b.avail.L.Unlock()
	return len(b.data)
}

func (b *buffer) write(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.size()+len(p) > 64 { // want "calling buffer.size Locks b.mu"
		b.avail.Wait()
	}
	b.data = append(b.data, p...)
}

// Negative: the other buffer's lock.
func (b *buffer) copyTo(o *buffer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o.avail.L.Lock()
	o.data = append(o.data, b.data...)
	o.avail.L.Unlock()
}

type counter struct {
	mu     sync.Locker
	counts map[string]int
}

func newCounter() *counter {
	return &counter{mu: &sync.Mutex{}, counts: map[string]int{}}
}

func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = map[string]int{}
}

func (c *counter) inc(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[k]++
	if c.counts[k] > 10 {
		c.reset() // want "calling counter.reset Locks c.mu"
	}
}

func localCond() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	c.L.Lock() // want `c.L.Lock\(\) is called while c.L is already held`
	c.L.Unlock()
	mu.Unlock()
}

// Negatives: a Locker that may be anything (a parameter, a no-op) is not a known mutex.
type noop struct{}

func (noop) Lock()   {}
func (noop) Unlock() {}

type guarded struct {
	mu sync.Locker
	n  int
}

func newGuarded(l sync.Locker) *guarded { return &guarded{mu: l} }

func newUnguarded() *guarded { return &guarded{mu: noop{}} }

func (g *guarded) get() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

func (g *guarded) bump() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n = g.get() + 1
}
