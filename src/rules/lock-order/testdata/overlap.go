package a

import "sync"

// Inversions whose two sides cannot run at the same time are not deadlocks.

// 1. Both orders run only on one goroutine: the pump's own loop, started once.
type pump struct {
	ctrlMu sync.Mutex
	dataMu sync.Mutex
	ctrl   []int
	data   []int
}

func newPump() *pump {
	p := &pump{}
	go p.loop()
	return p
}

func (p *pump) loop() {
	for {
		p.pack()
		p.reject()
	}
}

func (p *pump) pack() {
	p.ctrlMu.Lock()
	p.dataMu.Lock()
	p.ctrl = append(p.ctrl, len(p.data))
	p.dataMu.Unlock()
	p.ctrlMu.Unlock()
}

func (p *pump) reject() {
	p.dataMu.Lock()
	p.ctrlMu.Lock()
	p.data = p.data[:0]
	p.ctrlMu.Unlock()
	p.dataMu.Unlock()
}

// The same pair where a second goroutine runs the other order: a deadlock.
type mixer struct {
	inMu  sync.Mutex
	outMu sync.Mutex
	n     int
}

func newMixer() *mixer {
	m := &mixer{}
	go m.loop()
	go m.drain()
	return m
}

func (m *mixer) loop() {
	for {
		m.inMu.Lock()
		m.outMu.Lock() // want `lock order inversion: mixer.loop acquires m.outMu here while holding m.inMu`
		m.n++
		m.outMu.Unlock()
		m.inMu.Unlock()
	}
}

func (m *mixer) drain() {
	for {
		m.outMu.Lock()
		m.inMu.Lock() // want `lock order inversion: mixer.drain acquires m.inMu here while holding m.outMu`
		m.n--
		m.inMu.Unlock()
		m.outMu.Unlock()
	}
}

// 2. The other order is taken only after waiting for the end of the goroutine that runs
// the first one (its deferred close of recvDone).
type session struct {
	streamMu sync.Mutex
	stateMu  sync.Mutex
	recvDone chan struct{}
	frames   int
}

func newSession() *session {
	s := &session{recvDone: make(chan struct{})}
	go s.recvLoop()
	return s
}

func (s *session) recvLoop() {
	defer close(s.recvDone)
	for i := 0; i < 16; i++ {
		s.onFrame()
	}
}

func (s *session) onFrame() {
	s.stateMu.Lock()
	s.streamMu.Lock()
	s.frames++
	s.streamMu.Unlock()
	s.stateMu.Unlock()
}

func (s *session) Close() {
	<-s.recvDone
	s.streamMu.Lock()
	s.stateMu.Lock()
	s.frames = 0
	s.stateMu.Unlock()
	s.streamMu.Unlock()
}

// Without the wait, Close can run while the receive loop holds stateMu.
type tunnel struct {
	streamMu sync.Mutex
	stateMu  sync.Mutex
	recvDone chan struct{}
	frames   int
}

func newTunnel() *tunnel {
	t := &tunnel{recvDone: make(chan struct{})}
	go t.recvLoop()
	return t
}

func (t *tunnel) recvLoop() {
	defer close(t.recvDone)
	for i := 0; i < 16; i++ {
		t.onFrame()
	}
}

func (t *tunnel) onFrame() {
	t.stateMu.Lock()
	t.streamMu.Lock() // want `lock order inversion: tunnel.onFrame acquires t.streamMu here while holding t.stateMu`
	t.frames++
	t.streamMu.Unlock()
	t.stateMu.Unlock()
}

func (t *tunnel) Close() {
	t.streamMu.Lock()
	t.stateMu.Lock() // want `lock order inversion: tunnel.Close acquires t.stateMu here while holding t.streamMu`
	t.frames = 0
	t.stateMu.Unlock()
	t.streamMu.Unlock()
}

// 3. Both orders run under the same gate lock, held for writing: one at a time.
type shelf struct {
	gate  sync.RWMutex
	left  sync.Mutex
	right sync.Mutex
	n     int
}

func (s *shelf) MoveRight() {
	s.gate.Lock()
	defer s.gate.Unlock()
	s.left.Lock()
	s.right.Lock()
	s.n++
	s.right.Unlock()
	s.left.Unlock()
}

func (s *shelf) MoveLeft() {
	s.gate.Lock()
	defer s.gate.Unlock()
	s.right.Lock()
	s.left.Lock()
	s.n--
	s.left.Unlock()
	s.right.Unlock()
}

// A read gate lets both in at once.
type rack struct {
	gate  sync.RWMutex
	left  sync.Mutex
	right sync.Mutex
	n     int
}

func (r *rack) MoveRight() {
	r.gate.RLock()
	defer r.gate.RUnlock()
	r.left.Lock()
	r.right.Lock() // want `lock order inversion: rack.MoveRight acquires r.right here while holding r.left`
	r.n++
	r.right.Unlock()
	r.left.Unlock()
}

func (r *rack) MoveLeft() {
	r.gate.RLock()
	defer r.gate.RUnlock()
	r.right.Lock()
	r.left.Lock() // want `lock order inversion: rack.MoveLeft acquires r.left here while holding r.right`
	r.n--
	r.left.Unlock()
	r.right.Unlock()
}
