package a

import (
	"sync"
	"time"
)

// The canonical loop.
func (q *Queue) PopLoop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// for {} with a break on the condition.
func (g *Gate) EnterLoop() {
	g.Lock()
	for {
		if g.open {
			break
		}
		g.c.Wait()
	}
	g.Unlock()
}

// A three-clause loop with a condition.
func (q *Queue) WaitN(n int) {
	q.mu.Lock()
	for i := 0; len(q.items) < n; i++ {
		q.cond.Wait()
	}
	q.mu.Unlock()
}

// Nested in an if inside the loop.
func (q *Queue) PopOrStop(stop *bool) (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		if *stop {
			return 0, false
		}
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// Not a sync.Cond: a WaitGroup.
func waitAll(wg *sync.WaitGroup) {
	if wg != nil {
		wg.Wait()
	}
}

// A user type with a Wait method.
type Timer struct{ d time.Duration }

func (t Timer) Wait() { time.Sleep(t.d) }

func pause(t Timer, ok bool) {
	if !ok {
		t.Wait()
	}
}

// Signal and Broadcast need no loop.
func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

func (g *Gate) Open() {
	g.Lock()
	g.open = true
	g.Unlock()
	g.c.Broadcast()
}

// A loop condition on a package-level flag.
func awaitStartLoop() {
	startMu.Lock()
	defer startMu.Unlock()
	for !started {
		start.Wait()
	}
}

// An interface with Wait is not a sync.Cond.
type waiter interface{ Wait() }

func block(w waiter, ok bool) {
	if !ok {
		w.Wait()
	}
}

// A bare Wait is a one-shot handshake (sync/cond_test.go, runtime/pprof tests): the
// waiter holds c.L from before the signaller can run, so the Signal cannot come first.
// The rule cannot decide it and stays silent.
func handshake(mu *sync.Mutex, c *sync.Cond, running chan bool) {
	mu.Lock()
	running <- true
	c.Wait()
	mu.Unlock()
}

func startAndWait(mu *sync.Mutex, c *sync.Cond) {
	mu.Lock()
	go func() {
		mu.Lock()
		c.Signal()
		mu.Unlock()
	}()
	c.Wait()
	mu.Unlock()
}

// Issue 11, family 11: a latch whose only writer is the function that broadcasts.
// The if checks the flag under the lock (no signal can be missed), nothing resets it,
// and Go's Wait has no spurious wake-ups: the if is enough.
type Latch struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
}

func (l *Latch) Release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	l.cond.Broadcast()
}

func (l *Latch) Await() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done {
		l.cond.Wait()
	}
}

// A result slot set by one producer method, which signals after writing it.
type Slot struct {
	mu     sync.Mutex
	cond   *sync.Cond
	result *int
}

func (s *Slot) Put(v int) {
	s.mu.Lock()
	if s.result == nil || *s.result < v {
		s.result = &v
	}
	s.cond.Broadcast()
	s.mu.Unlock()
}

func (s *Slot) Get() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.result == nil {
		s.cond.Wait()
	}
	return *s.result
}

// A "wait for the next event" barrier: no predicate, the broadcast is the event.
type Ticker struct {
	mu   sync.Mutex
	cond *sync.Cond
	last time.Time
}

func (t *Ticker) tick(now time.Time) {
	t.mu.Lock()
	t.last = now
	t.mu.Unlock()
	t.cond.Broadcast()
}

func (t *Ticker) WaitNext() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cond.Wait()
	return t.last
}

// Counting events in a range loop is a barrier too.
func (t *Ticker) WaitTicks(n []int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for range n {
		t.cond.Wait()
	}
}
