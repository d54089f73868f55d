package a

import "sync"

// Same order everywhere.
type Ordered struct {
	a, b sync.Mutex
	n    int
}

func (o *Ordered) One() {
	o.a.Lock()
	o.b.Lock()
	o.n++
	o.b.Unlock()
	o.a.Unlock()
}

func (o *Ordered) Two() {
	o.a.Lock()
	defer o.a.Unlock()
	o.b.Lock()
	defer o.b.Unlock()
	o.n--
}

// The first lock is released before the second is taken.
func (o *Ordered) Three() {
	o.b.Lock()
	o.n++
	o.b.Unlock()
	o.a.Lock()
	o.n++
	o.a.Unlock()
}

// Two instances of the same type: the order depends on the instances, not reported.
type Account struct {
	mu  sync.Mutex
	bal int
}

func move(from, to *Account, n int) {
	from.mu.Lock()
	to.mu.Lock()
	from.bal -= n
	to.bal += n
	to.mu.Unlock()
	from.mu.Unlock()
}

// A goroutine started while holding a lock does not hold it.
func (o *Ordered) Spawn() {
	o.b.Lock()
	go func() {
		o.a.Lock()
		o.n++
		o.a.Unlock()
	}()
	o.b.Unlock()
}

// A callback stored for later does not run under the lock.
func (o *Ordered) Later() func() {
	o.b.Lock()
	defer o.b.Unlock()
	return func() {
		o.a.Lock()
		o.a.Unlock()
	}
}

// TryLock does not block, so it cannot deadlock.
func (o *Ordered) Try() {
	o.b.Lock()
	if o.a.TryLock() {
		o.a.Unlock()
	}
	o.b.Unlock()
}

// Locks of a slice of shards are not named.
func lockShards(ms []sync.Mutex) {
	ms[1].Lock()
	ms[0].Lock()
	ms[0].Unlock()
	ms[1].Unlock()
}

// A local mutex has no order with fields of other functions.
func (o *Ordered) Local() {
	var mu sync.Mutex
	o.b.Lock()
	mu.Lock()
	mu.Unlock()
	o.b.Unlock()
}

// Unrelated types in the same order.
type Outer struct {
	mu    sync.Mutex
	inner *Inner
}

type Inner struct{ mu sync.Mutex }

func (o *Outer) A() {
	o.mu.Lock()
	o.inner.mu.Lock()
	o.inner.mu.Unlock()
	o.mu.Unlock()
}

func (o *Outer) B() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.inner.mu.Lock()
	defer o.inner.mu.Unlock()
}

func (i *Inner) C() {
	i.mu.Lock()
	i.mu.Unlock()
}
