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
