package a

import (
	"bytes"
	"sync"
)

// The re-check loop is in the caller: readOrBlock returns right after Wait and its only
// caller loops until it got data.
type pipe struct {
	mu      sync.Mutex
	cnd     *sync.Cond
	buf     bytes.Buffer
	closed  bool
	blocked bool
}

func newPipe() *pipe {
	p := &pipe{}
	p.cnd = sync.NewCond(&p.mu)
	return p
}

func (p *pipe) readOrBlock(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.blocked {
		p.cnd.Wait()
		return 0, nil
	}
	n, _ := p.buf.Read(b)
	if n == 0 && !p.closed {
		p.cnd.Wait()
	}
	return n, nil
}

func (p *pipe) Read(b []byte) (n int, err error) {
	for n == 0 {
		n2, err := p.readOrBlock(b)
		if err != nil {
			return n2, err
		}
		n += n2
	}
	p.cnd.Signal()
	return n, nil
}

func (p *pipe) write(b []byte) {
	p.mu.Lock()
	p.buf.Write(b)
	p.blocked = false
	p.mu.Unlock()
	p.cnd.Broadcast()
}

// Positive: one caller does not loop.
type gate struct {
	mu   sync.Mutex
	cnd  *sync.Cond
	open bool
	n    int
}

func newGate() *gate {
	g := &gate{}
	g.cnd = sync.NewCond(&g.mu)
	return g
}

func (g *gate) waitOnce() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.open {
		g.cnd.Wait() // want `g.cnd.Wait\(\) at line 76 is not inside a for loop that re-checks its condition`
		return 0
	}
	return g.n
}

func (g *gate) poll() int {
	for i := 0; i < 3; i++ {
		if v := g.waitOnce(); v > 0 {
			return v
		}
	}
	return g.waitOnce()
}

func (g *gate) set(v int) {
	g.mu.Lock()
	g.open = v > 0
	g.n = v
	g.mu.Unlock()
	g.cnd.Broadcast()
}

func (g *gate) reset() {
	g.mu.Lock()
	g.open = false
	g.mu.Unlock()
}
