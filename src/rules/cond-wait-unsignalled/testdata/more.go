package a

import "sync"

// Two Conds on one lock: notEmpty is signalled, notFull never is.
type ring struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	buf      []int
	max      int
}

func (r *ring) put(v int) {
	r.mu.Lock()
	for len(r.buf) == r.max {
		r.notFull.Wait() // want "r.notFull.Wait\\(\\) blocks until r.notFull is signalled"
	}
	r.buf = append(r.buf, v)
	r.mu.Unlock()
	r.notEmpty.Signal()
}

func (r *ring) get() int {
	r.mu.Lock()
	for len(r.buf) == 0 {
		r.notEmpty.Wait()
	}
	v := r.buf[0]
	r.buf = r.buf[1:]
	r.mu.Unlock()
	return v
}

// Elements of a map: every room's cond is the field room.cond.
type room struct {
	mu     sync.Mutex
	cond   *sync.Cond
	joined int
}

type lobby struct {
	rooms map[string]*room
}

func (l *lobby) awaitPlayers(name string, n int) {
	r := l.rooms[name]
	r.mu.Lock()
	for r.joined < n {
		l.rooms[name].cond.Wait() // want "l.rooms\\[name\\].cond.Wait\\(\\) blocks until"
	}
	r.mu.Unlock()
}

func (l *lobby) join(name string) {
	r := l.rooms[name]
	r.mu.Lock()
	r.joined++
	r.mu.Unlock()
}

// Waited in a goroutine started through a method value.
type flusher struct {
	mu      sync.Mutex
	pending *sync.Cond
	dirty   bool
}

func (f *flusher) start() {
	go f.loop()
}

func (f *flusher) loop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		for !f.dirty {
			f.pending.Wait() // want "f.pending.Wait\\(\\) blocks until f.pending is signalled"
		}
		f.dirty = false
	}
}

func (f *flusher) mark() {
	f.mu.Lock()
	f.dirty = true
	f.mu.Unlock()
}

// Waited in a closure held in a local and called.
func closureWait(ready *bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	wait := func() {
		mu.Lock()
		for !*ready {
			c.Wait() // want "c.Wait\\(\\) blocks until c is signalled, but nothing in closureWait calls"
		}
		mu.Unlock()
	}
	wait()
}

// Negative: signalled from a method reached through an interface.
type notifier interface{ notify() }

type latch struct {
	mu   sync.Mutex
	cond *sync.Cond
	set  bool
}

func (l *latch) notify() {
	l.mu.Lock()
	l.set = true
	l.cond.Broadcast()
	l.mu.Unlock()
}

func (l *latch) await() {
	l.mu.Lock()
	for !l.set {
		l.cond.Wait()
	}
	l.mu.Unlock()
}

func fire(n notifier) { n.notify() }
