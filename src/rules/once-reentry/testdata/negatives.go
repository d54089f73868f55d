package a

import "sync"

// Another instance: a node initialising its parent through the parent's own Once.
type node struct {
	once   sync.Once
	parent *node
	depth  int
}

func (n *node) Depth() int {
	n.once.Do(n.compute)
	return n.depth
}

func (n *node) compute() {
	if n.parent != nil {
		n.depth = n.parent.Depth() + 1
	}
}

// Two Onces of one object.
type pair struct {
	a, b sync.Once
	x, y int
}

func (p *pair) X() int { p.a.Do(func() { p.x = p.Y() + 1 }); return p.x }
func (p *pair) Y() int { p.b.Do(func() { p.y = 1 }); return p.y }

// The accessor is called after Do returns, not from inside f.
type lazy struct {
	once sync.Once
	v    int
}

func (l *lazy) init()     { l.v = 42 }
func (l *lazy) Get() int  { l.once.Do(l.init); return l.v }
func (l *lazy) Twice() int { return l.Get() + l.Get() }

// f reads the fields directly.
type settings struct {
	once sync.Once
	m    map[string]string
}

func (s *settings) load() {
	s.m = map[string]string{"a": "1"}
	s.m["b"] = s.m["a"] + "2"
}

func (s *settings) Get(k string) string { s.once.Do(s.load); return s.m[k] }

// A goroutine that calls Do after it has woken f: it only waits for f to return.
type stream struct {
	once  sync.Once
	in    chan string
	ready chan string
	first string
}

func (s *stream) ensure() { s.once.Do(s.start) }

func (s *stream) start() {
	go s.pump()
	s.first = <-s.ready
}

func (s *stream) pump() {
	for v := range s.in {
		if v == "hello" {
			s.ready <- v
			continue
		}
		s.ensure()
	}
}

// A goroutine started by f that re-enters, but f does not wait for it.
type bg struct {
	once sync.Once
	n    int
}

func (b *bg) ensure() { b.once.Do(b.start) }
func (b *bg) start()  { go b.tick() }
func (b *bg) tick()   { b.ensure(); b.n++ }

// A function value whose targets are not all known: the Do is not reported.
type hooks struct {
	once sync.Once
	run  func()
}

func (h *hooks) Init(f func()) { h.run = f }
func (h *hooks) Start()        { h.once.Do(func() { h.run() }) }

func newLazy() *lazy         { return &lazy{} }
func newPair() *pair         { return &pair{} }
func newSettings() *settings { return &settings{} }

func newStream() *stream { return &stream{in: make(chan string, 1), ready: make(chan string)} }
