package a

// Instances (issue 13): two locks of the same field (`conn.mu`) only close a cycle when
// the two acquisitions can lock the same object. Objects are told apart by allocation
// site, and by a discriminant field that is never written after construction (`kind`)
// tested on every path that hands the object on (written from the nats-server shape of
// bench/triage/realcode.md, events.go:992).

import "sync"

const (
	kindClient = iota
	kindGateway
	kindLeaf
)

type conn struct {
	mu   sync.Mutex
	kind int
	n    int
}

type gateway struct {
	sync.RWMutex
	out map[string]*conn
	all []*conn
}

type exch struct {
	gw *gateway
}

func (h *exch) register(name string, c *conn) {
	h.gw.Lock()
	h.gw.out[name] = c
	h.gw.Unlock()
}

func (h *exch) outbound(dst *[]*conn) {
	h.gw.RLock()
	for _, c := range h.gw.out {
		*dst = append(*dst, c)
	}
	h.gw.RUnlock()
}

// Gateway conn.mu under gateway: only gateway conns are in gw.out.
func (h *exch) stats() int {
	gw := h.gw
	gw.RLock()
	n := 0
	for _, c := range gw.out {
		c.mu.Lock()
		n += c.n
		c.mu.Unlock()
	}
	gw.RUnlock()
	return n
}

// Leaf conn.mu, then gateway: a leaf conn is never in gw.out.
func (h *exch) initLeaf(c *conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var gws []*conn
	h.outbound(&gws)
	c.n = len(gws)
}

func (c *conn) processInfo(h *exch) {
	switch c.kind {
	case kindGateway:
		c.processGatewayInfo(h)
	case kindLeaf:
		c.processLeafInfo(h)
	}
}

func (c *conn) processGatewayInfo(h *exch) {
	h.register("x", c)
}

func (c *conn) processLeafInfo(h *exch) {
	if c.n == 0 {
		h.initLeaf(c)
	}
}

func newLeaf(h *exch) {
	c := &conn{kind: kindLeaf}
	h.initLeaf(c)
}

// Positive: the same shape where a conn of any kind may be registered: the conn locked
// by initAny may be in gw.out, so the orders gateway -> peer.mu and peer.mu -> gateway
// deadlock.

type peer struct {
	mu   sync.Mutex
	kind int
}

type router struct {
	sync.RWMutex
	peers map[string]*peer
}

func (r *router) add(name string, p *peer) {
	r.Lock()
	r.peers[name] = p
	r.Unlock()
}

func (r *router) each(f func(*peer)) {
	r.RLock()
	for _, p := range r.peers {
		p.mu.Lock() // want "lock order inversion"
		f(p)
		p.mu.Unlock()
	}
	r.RUnlock()
}

func (r *router) initAny(p *peer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.RLock() // want `acquires r\.RWMutex here while holding p\.mu`
	_ = len(r.peers)
	r.RUnlock()
}

func (p *peer) process(r *router) {
	switch p.kind {
	case kindGateway:
		r.add("x", p)
	}
	r.initAny(p)
}

// Negative: two allocation sites. Shards live in one slice, the journal is another
// object; locking a shard then the journal's lock, and the journal then a shard, never
// touch the same shard lock... but both are shard.mu only if both come from the slice.

type shard struct {
	mu sync.Mutex
	n  int
}

type store struct {
	mu      sync.Mutex
	shards  []*shard
	journal *shard
}

func newStore() *store {
	s := &store{journal: &shard{}}
	for i := 0; i < 4; i++ {
		s.shards = append(s.shards, &shard{})
	}
	return s
}

// shard.mu (an element of shards), then store.mu.
func (s *store) flushShard(i int) {
	sh := s.shards[i]
	sh.mu.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	sh.mu.Unlock()
}

// store.mu, then the journal's shard.mu: never an element of shards.
func (s *store) writeJournal() {
	s.mu.Lock()
	s.journal.mu.Lock()
	s.journal.n++
	s.journal.mu.Unlock()
	s.mu.Unlock()
}

// Negative: a constructor called with different kinds (one level of call-site
// sensitivity: `&conn{kind: kind}` takes the constant of each call).
func newConn(kind int) *conn {
	return &conn{kind: kind}
}

func benchLeaf(h *exch) {
	c := newConn(kindLeaf)
	h.initLeaf(c)
}
