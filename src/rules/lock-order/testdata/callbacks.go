package a

import "sync"

// Locks taken through function values (stored callbacks, method values in a map),
// resolved by the program model.
type scheduler struct {
	mu        sync.Mutex
	callbacks map[string]func(string)
}

func (s *scheduler) onFire(job string, cb func(string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks[job] = cb
}

func (s *scheduler) fire(job string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cb := s.callbacks[job]; cb != nil {
		cb(job)
	}
}

func (s *scheduler) cancel(job string) {
	s.mu.Lock() // want `acquires st\.sched\.mu \(through scheduler\.cancel\) here while holding st\.mu`
	defer s.mu.Unlock()
	delete(s.callbacks, job)
}

type runStore struct {
	mu    sync.Mutex
	runs  map[string]int
	sched *scheduler
}

func (st *runStore) record(job string) {
	st.mu.Lock() // want `acquires st\.mu \(through the function value \(runStore\.record\)\) here while holding s\.mu`
	defer st.mu.Unlock()
	st.runs[job]++
}

func (st *runStore) sweep(stale []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, job := range stale {
		st.sched.cancel(job)
	}
}

func wire(s *scheduler, st *runStore) {
	s.onFire("report", st.record)
}

// Negatives: the callback is called after the unlock; a callback that takes no lock.
type bus struct {
	mu       sync.Mutex
	handlers []func()
}

func (b *bus) publish() {
	b.mu.Lock()
	hs := append([]func(){}, b.handlers...)
	b.mu.Unlock()
	for _, h := range hs {
		h()
	}
}

func (b *bus) subscribe(h func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handlers = append(b.handlers, h)
}

type sink struct {
	mu  sync.Mutex
	bus *bus
	n   int
}

func (k *sink) onEvent() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.n++
}

func (k *sink) attach() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.bus.subscribe(k.onEvent)
}

type ticker struct {
	mu   sync.Mutex
	hook func() int
	last int
}

func (t *ticker) tick() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last = t.hook()
}

func newTicker() *ticker {
	t := &ticker{}
	t.hook = func() int { return 1 }
	return t
}
