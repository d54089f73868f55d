package a

import "sync"

type queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []string
	closed bool
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *queue) put(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
	q.cond.Signal() // one item, one waiter: fine
}

func (q *queue) putAll(ss []string) {
	q.mu.Lock()
	q.items = append(q.items, ss...)
	q.mu.Unlock()
	q.cond.Signal() // want `queue.putAll adds several items to queue.items .* but Signal wakes only one of them`
}

func (q *queue) get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait() // want `q.cond.Wait\(\) is never woken by queue.close, which sets q.closed = true`
	}
	if len(q.items) == 0 {
		return "", false
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s, true
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}

type pool struct {
	mu     sync.Mutex
	ready  *sync.Cond
	idle   []int
	closed bool
}

func newPool() *pool {
	p := &pool{}
	p.ready = sync.NewCond(&p.mu)
	return p
}

func (p *pool) get() (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) == 0 && !p.closed {
		p.ready.Wait()
	}
	if p.closed {
		return 0, false
	}
	c := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	return c, true
}

func (p *pool) shutdown() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ready.Signal() // want `pool.shutdown sets p.closed = true, which releases every goroutine waiting on p.ready`
}

// Negatives.

// Broadcast after the change.
type gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func (g *gate) wait() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.open {
		g.cond.Wait()
	}
}

func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = true
	g.cond.Broadcast()
}

// A deferred Broadcast, and a helper that broadcasts.
type latch struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
	stop bool
}

func (l *latch) wait() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.done && !l.stop {
		l.cond.Wait()
	}
}

func (l *latch) finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.cond.Broadcast()
	l.done = true
}

func (l *latch) wakeAll() { l.cond.Broadcast() }

func (l *latch) halt() {
	l.mu.Lock()
	l.stop = true
	l.mu.Unlock()
	l.wakeAll()
}

// Waiters pass the wake-up on: each one that leaves signals the next.
type relay struct {
	mu     sync.Mutex
	cond   *sync.Cond
	closed bool
}

func (r *relay) wait() {
	r.mu.Lock()
	for !r.closed {
		r.cond.Wait()
	}
	r.mu.Unlock()
	r.cond.Signal()
}

func (r *relay) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cond.Signal()
}

// The caller of the releasing function broadcasts.
type door struct {
	mu     sync.Mutex
	cond   *sync.Cond
	opened bool
}

func (d *door) wait() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for !d.opened {
		d.cond.Wait()
	}
}

func (d *door) markOpen() { d.opened = true }

func (d *door) open() {
	d.mu.Lock()
	d.markOpen()
	d.mu.Unlock()
	d.cond.Broadcast()
}

// Several goroutines wait on each Cond above.
func startWaiters(q *queue, p *pool, g *gate, l *latch, r *relay, d *door) {
	for i := 0; i < 4; i++ {
		go q.get()
		go p.get()
		go g.wait()
		go l.wait()
		go r.wait()
		go d.wait()
	}
}

// Negative: a single reader (one goroutine ever waits), like an iterator's Next.
type iter struct {
	mu     sync.Mutex
	cond   *sync.Cond
	buf    []int
	closed bool
}

func (it *iter) next() (int, bool) {
	it.mu.Lock()
	defer it.mu.Unlock()
	for len(it.buf) == 0 && !it.closed {
		it.cond.Wait()
	}
	if it.closed {
		return 0, false
	}
	v := it.buf[0]
	it.buf = it.buf[1:]
	return v, true
}

func (it *iter) add(vs []int) {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.buf = append(it.buf, vs...)
	it.cond.Signal()
}

func (it *iter) close() {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.closed = true
	it.cond.Signal()
}

func readAll(it *iter) {
	go func() {
		for {
			if _, ok := it.next(); !ok {
				return
			}
		}
	}()
}
