package a

import "sync"

// A paused flag: waiters sleep while it is true; resume releases all of them.
type throttle struct {
	mu     sync.Mutex
	cond   *sync.Cond
	paused bool
}

func (t *throttle) acquire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.paused {
		t.cond.Wait()
	}
}

func (t *throttle) pause() {
	t.mu.Lock()
	t.paused = true
	t.mu.Unlock()
}

func (t *throttle) resume() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.paused = false
	t.cond.Signal() // want `throttle.resume sets t.paused = false, which releases every goroutine waiting on t.cond`
}

// End of stream: readers wait for data or EOF.
type stream struct {
	mu   sync.Mutex
	more *sync.Cond
	buf  []byte
	eof  bool
}

func (s *stream) read() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.buf) == 0 && !s.eof {
		s.more.Wait() // want `s.more.Wait\(\) is never woken by stream.finish, which sets s.eof = true`
	}
	b := s.buf
	s.buf = nil
	return b
}

func (s *stream) write(p []byte) {
	s.mu.Lock()
	s.buf = append(s.buf, p...)
	s.mu.Unlock()
	s.more.Signal() // want `stream.write adds several items to stream.buf`
}

func (s *stream) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.eof = true
}

// Jobs queued in batches.
type jobs struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending []func()
	stopped bool
}

func (j *jobs) next() func() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for len(j.pending) == 0 {
		j.cond.Wait()
	}
	f := j.pending[0]
	j.pending = j.pending[1:]
	return f
}

func (j *jobs) submit(fs ...func()) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pending = append(j.pending, fs...)
	j.cond.Signal() // want `jobs.submit adds several items to jobs.pending`
}

func (j *jobs) worker() {
	j.mu.Lock()
	for !j.stopped {
		j.cond.Wait()
	}
	j.mu.Unlock()
}

func (j *jobs) stop() {
	j.mu.Lock()
	j.stopped = true
	j.mu.Unlock()
	j.cond.Signal() // want `jobs.stop sets j.stopped = true`
}

// Negatives.

// The flag is set by the waiter itself (it consumes its own state).
type ticket struct {
	mu    sync.Mutex
	cond  *sync.Cond
	taken bool
}

func (t *ticket) take() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.taken {
		t.cond.Wait()
	}
	t.taken = true
}

func (t *ticket) give() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.taken = false
	t.cond.Signal() // one ticket, one waiter
}

// A local Cond is not looked at.
func localWait(items *[]int) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	done := false
	go func() {
		mu.Lock()
		done = true
		mu.Unlock()
		c.Broadcast()
	}()
	mu.Lock()
	for !done {
		c.Wait()
	}
	mu.Unlock()
}

// A condition that is not a conjunction of fields.
type gauge struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func (g *gauge) waitAbove(k int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.n <= k {
		g.cond.Wait()
	}
}

func (g *gauge) set(n int) {
	g.mu.Lock()
	g.n = n
	g.mu.Unlock()
	g.cond.Signal()
}

// Signal and Broadcast both follow the change.
type hub struct {
	mu     sync.Mutex
	cond   *sync.Cond
	closed bool
}

func (h *hub) wait() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for !h.closed {
		h.cond.Wait()
	}
}

func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	h.cond.Signal()
	h.cond.Broadcast()
	h.mu.Unlock()
}

func startMore(t *throttle, s *stream, j *jobs, tk *ticket, g *gauge, h *hub) {
	for i := 0; i < 3; i++ {
		go t.acquire()
		go s.read()
		go j.next()
		go j.worker()
		go tk.take()
		go g.waitAbove(i)
		go h.wait()
	}
}
