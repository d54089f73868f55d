package a

import (
	"sync"
	"time"
)

// A field Cond that no method of the package signals.
type gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) wait() {
	g.mu.Lock()
	for !g.open {
		g.cond.Wait() // want "g.cond.Wait\\(\\) blocks until g.cond is signalled, but nothing in the package calls"
	}
	g.mu.Unlock()
}

// The open method sets the flag but forgets to Broadcast.
func (g *gate) setOpen() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
}

// A local Cond, waited on in a goroutine, never signalled.
func localCond(work func()) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	done := false
	go func() {
		mu.Lock()
		for !done {
			c.Wait() // want "c.Wait\\(\\) blocks until c is signalled, but nothing in localCond calls"
		}
		mu.Unlock()
	}()
	work()
	mu.Lock()
	done = true
	mu.Unlock()
}

// A package variable Cond.
var (
	readyMu sync.Mutex
	ready   = sync.NewCond(&readyMu)
	started bool
)

func waitStarted() {
	readyMu.Lock()
	for !started {
		ready.Wait() // want "ready.Wait\\(\\) blocks until ready is signalled"
	}
	readyMu.Unlock()
}

func markStarted() {
	readyMu.Lock()
	started = true
	readyMu.Unlock()
}

// A Cond in a struct value field, reached through a method of another type.
type pool struct {
	mu    sync.Mutex
	avail sync.Cond
	items []int
}

func (p *pool) take() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.items) == 0 {
		p.avail.Wait() // want "p.avail.Wait\\(\\) blocks until p.avail is signalled"
	}
	v := p.items[0]
	p.items = p.items[1:]
	return v
}

func (p *pool) put(v int) {
	p.mu.Lock()
	p.items = append(p.items, v)
	p.mu.Unlock()
}

// Negatives.

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

// Signalled by push.
func (q *queue) pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *queue) push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// Broadcast handed to a timer as a method value: signalled out of sight.
type ticker struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func (t *ticker) start() {
	time.AfterFunc(time.Second, t.cond.Broadcast)
}

func (t *ticker) next() {
	t.mu.Lock()
	t.cond.Wait()
	t.mu.Unlock()
}

// The Cond is passed to another function, which may signal it.
type relay struct {
	mu   sync.Mutex
	cond *sync.Cond
}

func (r *relay) run(notify func(*sync.Cond)) {
	notify(r.cond)
}

func (r *relay) await() {
	r.mu.Lock()
	r.cond.Wait()
	r.mu.Unlock()
}

// A local Cond signalled from a goroutine of the same function.
func handshake() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ok := false
	go func() {
		mu.Lock()
		ok = true
		c.Broadcast()
		mu.Unlock()
	}()
	mu.Lock()
	for !ok {
		c.Wait()
	}
	mu.Unlock()
}

// Exported field of an exported type: other packages may signal it.
type Barrier struct {
	Mu   sync.Mutex
	Cond *sync.Cond
}

func (b *Barrier) Await() {
	b.Mu.Lock()
	b.Cond.Wait()
	b.Mu.Unlock()
}

// A Cond embedded in a type: signalled through the type, not followed.
type event struct {
	*sync.Cond
}

func (e *event) wait() {
	e.L.Lock()
	e.Wait()
	e.L.Unlock()
}

// WaitGroup.Wait is not a Cond.
func group(work func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); work() }()
	wg.Wait()
}

// A local Cond returned to the caller: signalled out of sight.
func makeCond() *sync.Cond {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		c.Wait()
		mu.Unlock()
	}()
	return c
}
