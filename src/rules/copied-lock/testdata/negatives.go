package a

import "sync"

// Pointer receivers and parameters.
func (c *Counter) Dec(k string) {
	c.mu.Lock()
	c.n[k]--
	c.mu.Unlock()
}

func bumpPtr(c *Counter, k string) {
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

// A value receiver that never touches the lock (reported by go vet, not by this rule).
func (c Counter) Size() int { return len(c.n) }

// Range by index with a pointer.
func lockAllPtr(cs []Counter) {
	for i := range cs {
		c := &cs[i]
		c.mu.Lock()
		c.mu.Unlock()
	}
}

// Range over pointers.
func lockPtrs(cs []*Counter) {
	for _, c := range cs {
		c.mu.Lock()
		c.mu.Unlock()
	}
}

// A fresh value from a composite literal or a constructor is not a copy of a used lock.
func NewCounter() *Counter {
	c := Counter{n: map[string]int{}}
	c.mu.Lock()
	c.mu.Unlock()
	return &c
}

// A pointer to a struct with a mutex in a struct by value: the struct holds a pointer.
type Holder struct {
	mu *sync.Mutex
	v  int
}

func (h Holder) Use() {
	h.mu.Lock()
	h.v++
	h.mu.Unlock()
}

// A parameter of type sync.WaitGroup is waitgroup-misuse's finding, not this rule's.
func work(wg sync.WaitGroup) {
	wg.Done()
}

// Sending a pointer.
func publishPtr(ch chan *Counter, c *Counter) {
	ch <- c
}

// A struct without locks.
type Point struct{ X, Y int }

func (p Point) Wait() {}

func movePoint(p Point) Point {
	q := p
	q.Wait()
	return q
}

// A value receiver copying a struct whose lock is used through another variable.
var global Counter

func (c Counter) Touch() {
	global.mu.Lock()
	global.n["touch"] = len(c.n)
	global.mu.Unlock()
}

// Sending a fresh value.
func publishNew(ch chan Counter) {
	ch <- Counter{}
}

// Receiving is not a copy this rule reports.
func recvCounter(ch chan *Counter) {
	c := <-ch
	c.mu.Lock()
	c.mu.Unlock()
}

// Returning a pointer, or a value built without the lock.
func (h *Hits) Ptr() *Hits {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h
}

func (h *Hits) Count() Hits {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Hits{hits: h.hits}
}
