package a

import "sync"

type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []int
	closed bool
}

func (q *Queue) Reset() {
	q.mu.Lock()
	q.items = nil
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Checked once with if.
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(the if at line \d+ checks it only once\)`
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// The condition checked with an if in the else branch.
func (q *Queue) PopElse() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) > 0 {
		return q.items[0]
	} else {
		q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(the if at line \d+`
	}
	return q.items[0]
}

type Gate struct {
	sync.Mutex
	c    sync.Cond
	open bool
}

// Close can shut the gate again between a Broadcast and a woken waiter taking the lock.
func (g *Gate) Close() {
	g.Lock()
	g.open = false
	g.Unlock()
}

// A Cond value field, and a flag a second function also changes (Close).
func (g *Gate) Enter() {
	g.Lock()
	if !g.open {
		g.c.Wait() // want `g.c.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(the if at line \d+ checks it only once\): Gate.open is changed by`
	}
	g.Unlock()
}

// A local Cond.
func waitReady(ready *bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	if !*ready {
		c.Wait() // want `c.Wait\(\) at line \d+ is not inside a for loop`
	}
	mu.Unlock()
}

// A range loop does not re-check the condition, and Reset announces "closed" with a
// flag this waiter never reads.
func (q *Queue) WaitEach(ids []int) {
	q.mu.Lock()
	for range ids {
		q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(a range loop does not re-check it\): Queue.Reset sets Queue.closed before it signals`
	}
	q.mu.Unlock()
}

// A package-level Cond.
var (
	startMu sync.Mutex
	start   = sync.NewCond(&startMu)
	started bool
)

func awaitStart() {
	startMu.Lock()
	defer startMu.Unlock()
	if !started {
		start.Wait() // want `start.Wait\(\) at line \d+ is not inside a for loop`
	}
}

// Inside a goroutine; the loop is outside the goroutine.
func (q *Queue) Watch(n int) {
	for i := 0; i < n; i++ {
		go func() {
			q.mu.Lock()
			if len(q.items) == 0 {
				q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop`
			}
			q.mu.Unlock()
		}()
	}
}

// In a switch case.
func (q *Queue) Take(block bool) (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case len(q.items) > 0:
	case block:
		q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop`
	default:
		return 0, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// A Cond through an embedded struct.
type Barrier struct {
	*sync.Cond
	n int
}

func (b *Barrier) Arrive(total int) {
	b.L.Lock()
	b.n++
	if b.n < total {
		b.Wait() // want `b.Wait\(\) at line \d+ is not inside a for loop`
	} else {
		b.Broadcast()
	}
	b.L.Unlock()
}

// Wait in a closure called in place: still no loop.
func (q *Queue) Later() {
	q.mu.Lock()
	func() {
		if len(q.items) == 0 {
			q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop`
		}
	}()
	q.mu.Unlock()
}

// An if with an initialiser.
func (q *Queue) PopFirst() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if n := len(q.items); n == 0 {
		q.cond.Wait() // want `q.cond.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(the if at line \d+`
	}
	return q.items[0]
}

// A bare Wait in a method that does not signal and does no handshake: if Open ran
// first, its Broadcast is gone and every later Wait blocks forever.
type Door struct {
	mu   sync.Mutex
	c    *sync.Cond
	open bool
}

func (d *Door) Open() {
	d.mu.Lock()
	d.open = true
	d.mu.Unlock()
	d.c.Broadcast()
}

func (d *Door) Wait() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.c.Wait() // want `d.c.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(no condition is checked before it\)`
}

// A turn-taking shape: the condition compares shared state with this goroutine's own
// value, so a Broadcast for the next turn wakes every waiter, and all but one go on
// with the condition false.
type Turns struct {
	mu   sync.Mutex
	cond *sync.Cond
	turn int
}

func (t *Turns) Take(me int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.turn != me {
		t.cond.Wait() // want `t.cond.Wait\(\) at line \d+ is not inside a for loop that re-checks its condition \(the if at line \d+ checks it only once\): when it wakes, the condition may be false again`
	}
	t.turn++
	t.cond.Broadcast()
}
