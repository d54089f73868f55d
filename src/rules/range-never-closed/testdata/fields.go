package a

import (
	"fmt"
	"sync"
)

// Channels owned by a struct: an unexported field only ever set to a new make.

// Pool is the corpus case generic-pool-never-closed: its Close method forgets to close the tasks channel.
type Pool[T any] struct {
	tasks chan T
	fn    func(T)
}

func NewPool[T any](n int, fn func(T)) *Pool[T] {
	p := &Pool[T]{tasks: make(chan T), fn: fn}
	for i := 0; i < n; i++ {
		go p.work()
	}
	return p
}

func (p *Pool[T]) work() {
	for t := range p.tasks { // want "range over field \"tasks\" of Pool at line 25 never ends: the field only ever holds a channel made in this package and nothing in the package closes it"
		p.fn(t)
	}
}

func (p *Pool[T]) Submit(t T) { p.tasks <- t }

func (p *Pool[T]) Close() {}

// loopPool is the corpus case method-value-worker-never-stopped.
type loopPool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func (p *loopPool) loop() {
	defer p.wg.Done()
	for job := range p.jobs { // want "range over field \"jobs\" of loopPool"
		job()
	}
}

func newLoopPool(n int) *loopPool {
	p := &loopPool{}
	p.jobs = make(chan func())
	run := p.loop
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go run()
	}
	return p
}

func (p *loopPool) Do(f func()) { p.jobs <- f }

// stoppable is closed by its Stop method (the "methods of the struct that owns it").
type stoppable struct {
	reqs chan string
}

func newStoppable() *stoppable {
	s := &stoppable{reqs: make(chan string)}
	go s.serve()
	return s
}

func (s *stoppable) serve() {
	for r := range s.reqs {
		fmt.Println(r)
	}
}

func (s *stoppable) Stop() { close(s.reqs) }

// injected: the field is set from a parameter; the caller owns the close.
type injected struct {
	in chan int
}

func newInjected(in chan int) *injected {
	x := &injected{in: in}
	go x.drain()
	return x
}

func (x *injected) drain() {
	for v := range x.in {
		fmt.Println(v)
	}
}

// Exported fields can be closed by other packages.
type Exported struct {
	C chan int
}

func NewExported() *Exported {
	e := &Exported{C: make(chan int)}
	go func() {
		for v := range e.C {
			fmt.Println(v)
		}
	}()
	return e
}

// copiedOut: the channel is handed out by an accessor; someone else may close it.
type copiedOut struct {
	events chan string
}

func newCopiedOut() *copiedOut {
	c := &copiedOut{events: make(chan string)}
	go c.run()
	return c
}

func (c *copiedOut) run() {
	for e := range c.events {
		fmt.Println(e)
	}
}

func (c *copiedOut) Events() chan string { return c.events }

// quitting: the worker also leaves on a quit signal.
type quitting struct {
	work chan int
	quit chan struct{}
}

func newQuitting() *quitting {
	q := &quitting{work: make(chan int), quit: make(chan struct{})}
	go q.loop()
	return q
}

func (q *quitting) loop() {
	for w := range q.work {
		select {
		case <-q.quit:
			return
		default:
			fmt.Println(w)
		}
	}
}

// A subscriber's channel kept in the bus's map; unsubscribing deletes it without closing
// it (corpus case unsubscribe-forgets-close).
type event struct{ kind string }

type bus struct {
	mu   sync.Mutex
	subs map[int]chan event
	next int
}

func (b *bus) subscribe() (int, <-chan event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan event, 8)
	b.subs[b.next] = ch
	return b.next, ch
}

func (b *bus) unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

func listen(b *bus) {
	_, ch := b.subscribe()
	go func() {
		for ev := range ch { // want "range over a channel kept in field \"subs\" of bus at line 181 never ends"
			_ = ev
		}
	}()
}

// Unsubscribing closes the channel (negative).
type bus2 struct {
	mu   sync.Mutex
	subs map[int]chan event
	next int
}

func (b *bus2) subscribe() (int, <-chan event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan event, 8)
	b.subs[b.next] = ch
	return b.next, ch
}

func (b *bus2) unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		close(ch)
		delete(b.subs, id)
	}
}

func listen2(b *bus2) {
	_, ch := b.subscribe()
	go func() {
		for ev := range ch {
			_ = ev
		}
	}()
}
