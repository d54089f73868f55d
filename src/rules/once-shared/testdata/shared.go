package a

import "sync"

// One Once guards Start and Stop: Stop's close never runs after Start.
type agent struct {
	once    sync.Once
	stop    chan struct{}
	metrics chan string
}

func newAgent() *agent { return &agent{stop: make(chan struct{}), metrics: make(chan string)} }

func (a *agent) start() { a.once.Do(func() { go a.loop() }) }

func (a *agent) loop() {
	for {
		select {
		case <-a.metrics:
		case <-a.stop:
			return
		}
	}
}

func (a *agent) shutdown() {
	a.once.Do(func() { close(a.stop) }) // want `a.once.Do here runs its function only if no other Do of a.once ran first, but agent.start calls a.once.Do with another function \(line 14\): after that, the close of a.stop`
}

// A method value as the function.
type server struct {
	once sync.Once
	done chan struct{}
}

func (s *server) init()    {}
func (s *server) closeCh() { close(s.done) }

func (s *server) open()  { s.once.Do(s.init) }
func (s *server) close() { s.once.Do(s.closeCh) } // want `s.once.Do here runs its function only if no other Do of s.once ran first, but server.open calls`

func (s *server) serve() { <-s.done }

// A channel closed for a range loop.
type feed struct {
	once  sync.Once
	items chan int
}

func (f *feed) open()    { f.once.Do(func() { f.items = make(chan int) }) }
func (f *feed) finish()  { f.once.Do(func() { close(f.items) }) } // want `f.once.Do here runs its function only if no other Do of f.once ran first`
func (f *feed) consume() {
	for range f.items {
	}
}

// A WaitGroup Done in the second Do.
type job struct {
	once sync.Once
	wg   sync.WaitGroup
}

func (j *job) prepare() { j.once.Do(func() { j.wg.Add(1) }) }
func (j *job) finish()  { j.once.Do(func() { j.wg.Done() }) } // want `j.once.Do here runs its function only if no other Do of j.once ran first`
func (j *job) await()   { j.wg.Wait() }

// A Cond broadcast in the second Do.
type gate struct {
	once sync.Once
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) setup() { g.once.Do(func() { g.open = false }) }
func (g *gate) release() {
	g.once.Do(func() { // want `g.once.Do here runs its function only if no other Do of g.once ran first`
		g.mu.Lock()
		g.open = true
		g.mu.Unlock()
		g.cond.Broadcast()
	})
}
func (g *gate) wait() {
	g.mu.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// A package-level Once.
var (
	setupOnce sync.Once
	ready     = make(chan struct{})
)

func configure() { setupOnce.Do(func() {}) }
func markReady() { setupOnce.Do(func() { close(ready) }) } // want `setupOnce.Do here runs its function only if no other Do of setupOnce ran first`
func awaitReady() { <-ready }

// Through a helper the function calls.
type pipe struct {
	once sync.Once
	quit chan struct{}
}

func (p *pipe) signalQuit() { close(p.quit) }
func (p *pipe) attach()     { p.once.Do(func() {}) }
func (p *pipe) detach()     { p.once.Do(func() { p.signalQuit() }) } // want `p.once.Do here runs its function only if no other Do of p.once ran first`
func (p *pipe) drain()      { <-p.quit }

// Three Dos, two different functions.
type hub struct {
	once sync.Once
	stop chan struct{}
}

func (h *hub) a()    { h.once.Do(h.noop) }
func (h *hub) b()    { h.once.Do(h.noop) }
func (h *hub) c()    { h.once.Do(h.halt) } // want `h.once.Do here runs its function only if no other Do of h.once ran first`
func (h *hub) noop() {}
func (h *hub) halt() { close(h.stop) }
func (h *hub) wait() { <-h.stop }

// Negatives.

// The same function everywhere.
type lazy struct {
	once sync.Once
	done chan struct{}
}

func (l *lazy) load()   { close(l.done) }
func (l *lazy) get()    { l.once.Do(l.load) }
func (l *lazy) peek()   { l.once.Do(l.load) }
func (l *lazy) await()  { <-l.done }

// Both functions close the channel.
type closer struct {
	once sync.Once
	ch   chan struct{}
}

func (c *closer) closeA() { c.once.Do(func() { close(c.ch) }) }
func (c *closer) closeB() { c.once.Do(func() { close(c.ch) }) }
func (c *closer) wait()   { <-c.ch }

// Separate Onces.
type twoOnce struct {
	startOnce sync.Once
	stopOnce  sync.Once
	stop      chan struct{}
}

func (t *twoOnce) start() { t.startOnce.Do(func() {}) }
func (t *twoOnce) end()   { t.stopOnce.Do(func() { close(t.stop) }) }
func (t *twoOnce) wait()  { <-t.stop }

// Nobody waits on what the second function closes.
type quiet struct {
	once sync.Once
	ch   chan struct{}
}

func (q *quiet) a() { q.once.Do(func() {}) }
func (q *quiet) b() { q.once.Do(func() { close(q.ch) }) }

// The channel is also closed elsewhere.
type backup struct {
	once sync.Once
	mu   sync.Mutex
	ch   chan struct{}
}

func (b *backup) a()     { b.once.Do(func() {}) }
func (b *backup) b()     { b.once.Do(func() { close(b.ch) }) }
func (b *backup) force() { close(b.ch) }
func (b *backup) wait()  { <-b.ch }

// The function value comes from a parameter (unknown).
type runner struct {
	once sync.Once
	ch   chan struct{}
}

func (r *runner) run(f func()) { r.once.Do(f) }
func (r *runner) stop()        { r.once.Do(func() { close(r.ch) }) }
func (r *runner) wait()        { <-r.ch }

// One Do only.
type single struct {
	once sync.Once
	ch   chan struct{}
}

func (s *single) stop() { s.once.Do(func() { close(s.ch) }) }
func (s *single) wait() { <-s.ch }

// Exported Once field of a library type: other packages may call Do on it.
type Exported struct {
	Once sync.Once
	ch   chan struct{}
}

func (e *Exported) a()    { e.Once.Do(func() {}) }
func (e *Exported) b()    { e.Once.Do(func() { close(e.ch) }) }
func (e *Exported) wait() { <-e.ch }
