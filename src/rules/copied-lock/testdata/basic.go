package a

import "sync"

type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

// Value receiver: locks a copy.
func (c Counter) Inc(k string) { // want `the value receiver c of Counter.Inc copies a value of type .*Counter, which contains a sync.Mutex, so c.mu.Lock\(\) at line 12 works on the copy`
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

// Value receiver with RLock on an RWMutex field.
type Config struct {
	mu   sync.RWMutex
	vals map[string]string
}

func (c Config) Get(k string) string { // want `the value receiver c of Config.Get copies .*sync.RWMutex`
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.vals[k]
}

// Embedded mutex and value receiver.
type Stats struct {
	sync.Mutex
	hits int
}

func (s Stats) Hit() { // want `the value receiver s of Stats.Hit copies`
	s.Lock()
	s.hits++
	s.Unlock()
}

// By-value parameter.
func bump(c Counter, k string) { // want `the by-value parameter c of bump copies`
	c.mu.Lock()
	c.n[k]++
	c.mu.Unlock()
}

// A struct holding a WaitGroup passed by value: Done on the copy.
type Job struct {
	wg  sync.WaitGroup
	out []int
}

func finish(j Job) { // want `the by-value parameter j of finish copies .*sync.WaitGroup.*a Wait on the original never sees the copy's Done`
	j.wg.Done()
}

// Range value copies.
func lockAll(cs []Counter) {
	for _, c := range cs { // want `the range value c copies`
		c.mu.Lock()
	}
}

// Assignment from a dereference.
func snapshot(p *Counter) int {
	c := *p // want `the assignment to c copies .*sync.Mutex, so c.mu.Lock\(\) at line 68`
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.n)
}

// Assignment from a field.
type Server struct {
	stats Stats
}

func (s *Server) Report() int {
	st := s.stats // want `the assignment to st copies`
	st.Lock()
	defer st.Unlock()
	return st.hits
}

// A Cond in a struct copied through a parameter of a func literal.
type Gate struct {
	c    *sync.Cond
	once sync.Once
}

func open(gs []Gate) {
	each := func(g Gate) { // want `the by-value parameter g of open copies .*sync.Once`
		g.once.Do(func() { g.c.Broadcast() })
	}
	for i := range gs {
		each(gs[i])
	}
}

// Send on a channel copies the value (go vet's copylocks does not check sends).
// The copy is made while c.mu is held, so the receiver gets a locked mutex.
func publish(ch chan Counter, c *Counter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch <- *c // want `the send on ch copies a value of type .*Counter, which contains a sync.Mutex`
}

// Map element copy.
func fromMap(m map[string]Counter, k string) {
	c := m[k] // want `the assignment to c copies`
	c.mu.Lock()
	c.mu.Unlock()
}

// A snapshot returned by value while the lock is held (the copy's mutex is locked).
type Hits struct {
	mu   sync.Mutex
	hits int
}

func (h *Hits) Snapshot() Hits {
	h.mu.Lock()
	defer h.mu.Unlock()
	return *h // want `the return of \*h copies a value of type .*Hits, which contains a sync.Mutex, made in a function that uses the original's lock \(h.mu.Lock\(\) at line 122\)`
}
