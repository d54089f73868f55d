package a

import "sync"

// 1. Two methods of one type, fields in opposite orders.
type Bank struct {
	accounts sync.Mutex
	audit    sync.Mutex
	log      []string
}

func (b *Bank) Transfer() {
	b.accounts.Lock()
	defer b.accounts.Unlock()
	b.audit.Lock() // want `lock order inversion: Bank.Transfer acquires b.audit here while holding b.accounts \(locked at line 13\), but Bank.Audit acquires b.accounts while holding b.audit`
	b.log = append(b.log, "transfer")
	b.audit.Unlock()
}

func (b *Bank) Audit() {
	b.audit.Lock()
	defer b.audit.Unlock()
	b.accounts.Lock() // want `acquires b\.accounts here while holding b\.audit`
	b.log = append(b.log, "audit")
	b.accounts.Unlock()
}

// 2. Package-level mutexes.
var (
	cfgMu  sync.Mutex
	connMu sync.RWMutex
)

func reload() {
	cfgMu.Lock()
	connMu.Lock() // want `acquires connMu here while holding cfgMu`
	connMu.Unlock()
	cfgMu.Unlock()
}

func dial() {
	connMu.RLock()
	defer connMu.RUnlock()
	cfgMu.Lock() // want `acquires cfgMu here while holding connMu`
	cfgMu.Unlock()
}

// 3. Through a call: Server.Close holds s.mu and calls c.close, which locks c.mu;
// Conn.Serve holds c.mu and calls into the server.
type Server struct {
	mu    sync.Mutex
	conns map[*Conn]bool
}

type Conn struct {
	mu  sync.Mutex
	srv *Server
}

func (c *Conn) close() {
	c.mu.Lock() // want `acquires c\.mu \(through Conn\.close\) here while holding s\.mu`
	defer c.mu.Unlock()
}

func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.close()
	}
}

func (s *Server) forget(c *Conn) {
	s.mu.Lock() // want `acquires c\.srv\.mu \(through Server\.forget\) here while holding c\.mu`
	delete(s.conns, c)
	s.mu.Unlock()
}

func (c *Conn) Serve() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.srv.forget(c)
}

// 4. Embedded mutexes of two types.
type Left struct {
	sync.Mutex
	right *Right
}

type Right struct {
	sync.Mutex
	left *Left
}

func (l *Left) Sync() {
	l.Lock()
	l.right.Lock() // want `acquires l.right.Mutex here while holding l.Mutex`
	l.right.Unlock()
	l.Unlock()
}

func (r *Right) Sync() {
	r.Lock()
	r.left.Lock() // want `acquires r\.left\.Mutex here while holding r\.Mutex`
	r.left.Unlock()
	r.Unlock()
}

// 5. RWMutex read side counts too: RLock(A) then Lock(B) vs Lock(B) then Lock(A) deadlocks
// once a writer on A is waiting.
type Cache struct {
	mu   sync.RWMutex
	disk *Disk
}

type Disk struct {
	mu sync.Mutex
	c  *Cache
}

func (c *Cache) Read() {
	c.mu.RLock()
	c.disk.mu.Lock() // want `acquires c.disk.mu here while holding c.mu`
	c.disk.mu.Unlock()
	c.mu.RUnlock()
}

func (d *Disk) Evict() {
	d.mu.Lock()
	d.c.mu.Lock() // want `acquires d\.c\.mu here while holding d\.mu`
	d.c.mu.Unlock()
	d.mu.Unlock()
}
