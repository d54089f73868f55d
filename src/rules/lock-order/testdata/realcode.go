package a

// Families found on real code (bench/triage/realcode.md, issue 11), written from the
// shapes, not copied.

import "sync"

type fileStore struct {
	mu sync.Mutex
	n  int
}

type memStore struct {
	mu sync.Mutex
	n  int
}

type stream struct {
	mu    sync.Mutex
	store any
}

// The same type assertion guards the Lock and the Unlock: only one of the two stores is
// ever locked, so fileStore.mu and memStore.mu are never held together.
func (s *stream) expire(work func()) {
	if fs, ok := s.store.(*fileStore); ok {
		fs.mu.Lock()
	} else if ms, ok := s.store.(*memStore); ok {
		ms.mu.Lock()
	}
	work()
	if fs, ok := s.store.(*fileStore); ok {
		fs.mu.Unlock()
	} else if ms, ok := s.store.(*memStore); ok {
		ms.mu.Unlock()
	}
	if fs, ok := s.store.(*fileStore); ok {
		fs.mu.Lock()
		fs.n = 0
		fs.mu.Unlock()
	} else if ms, ok := s.store.(*memStore); ok {
		ms.mu.Lock()
		ms.n = 0
		ms.mu.Unlock()
	}
}

func (s *stream) expireOther(work func()) {
	if ms, ok := s.store.(*memStore); ok {
		ms.mu.Lock()
		defer ms.mu.Unlock()
	}
	if fs, ok := s.store.(*fileStore); ok {
		fs.mu.Lock()
		defer fs.mu.Unlock()
	}
	work()
}

// A lock handed to a goroutine that releases it is not held by the spawner any more.
type msgBlock struct {
	mu     sync.Mutex
	closed bool
}

type blockSet struct {
	mu     sync.Mutex
	syncMu sync.Mutex
	blks   []*msgBlock
}

func (bs *blockSet) syncAll() {
	bs.syncMu.Lock()
	defer bs.syncMu.Unlock()
	bs.mu.Lock()
	blks := append([]*msgBlock(nil), bs.blks...)
	bs.mu.Unlock()
	for _, b := range blks {
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
	}
}

func removeWhileSyncing(bs *blockSet, b *msgBlock, ready *sync.WaitGroup) {
	b.mu.Lock()
	go func() {
		ready.Wait()
		bs.mu.Lock()
		bs.blks = nil
		bs.mu.Unlock()
		b.mu.Unlock()
	}()
	bs.syncAll()
}

// Locks kept from a previous iteration belong to another element: their order with this
// element's lock depends on the instances.
type server struct {
	mu    sync.Mutex
	queue *queue
}

type queue struct {
	sync.Mutex
	items []int
}

func (q *queue) push(v int) {
	q.Lock()
	q.items = append(q.items, v)
	q.Unlock()
}

func (s *server) shutdown() {
	s.mu.Lock()
	s.queue.push(0)
	s.mu.Unlock()
}

func holdAll(servers []*server) {
	for _, s := range servers {
		s.mu.Lock()
		q := s.queue
		s.mu.Unlock()
		q.Lock()
		defer q.Unlock()
	}
}

// The twin: the loop-invariant hub lock is taken (in register) while the previous
// element's lock is still held, an order against add whatever the instances.
type hub struct {
	mu      sync.Mutex
	servers []*server
}

func (h *hub) register() *server {
	h.mu.Lock() // want `acquires h\.mu \(through hub\.register\) here while holding s\.mu`
	defer h.mu.Unlock()
	s := &server{}
	h.servers = append(h.servers, s)
	return s
}

func (h *hub) lockNew(n int) {
	for i := 0; i < n; i++ {
		s := h.register()
		s.mu.Lock()
		defer s.mu.Unlock()
	}
}

func (h *hub) add(s *server) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.mu.Lock() // want `acquires s\.mu here while holding h\.mu`
	h.servers = append(h.servers, s)
	s.mu.Unlock()
}

// The second order is taken in a function literal: the message names the literal.
type logSink struct {
	mu  sync.Mutex
	out *filterW
}

type filterW struct {
	mu  sync.Mutex
	buf []byte
}

func (l *logSink) write(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.out.mu.Lock() // want `logSink.write acquires l.out.mu here while holding l.mu \(locked at line 174\), but the function literal at line 182 in logSink.restore acquires l.mu while holding f.mu`
	l.out.buf = append(l.out.buf, p...)
	l.out.mu.Unlock()
}

func (l *logSink) restore(f *filterW) func() {
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		l.mu.Lock() // want `acquires l\.mu here while holding f\.mu`
		l.out = nil
		l.mu.Unlock()
	}
}
