package a

import "sync"

// 6. Inside one function, on two branches.
type Pair struct {
	x, y   sync.Mutex
	vx, vy int
}

func (p *Pair) Swap(xFirst bool) {
	if xFirst {
		p.x.Lock()
		p.y.Lock() // want `acquires p.y here while holding p.x`
	} else {
		p.y.Lock()
		p.x.Lock() // want `acquires p\.x here while holding p\.y`
	}
	p.vx, p.vy = p.vy, p.vx
	p.y.Unlock()
	p.x.Unlock()
}

// 7. A lock helper that takes the second lock.
type Hub struct {
	mu   sync.Mutex
	subs *Subs
}

type Subs struct {
	mu  sync.Mutex
	hub *Hub
}

func (s *Subs) lock() { s.mu.Lock() } // want `acquires h\.subs\.mu \(through Subs\.lock\) here while holding h\.mu`

func (h *Hub) Publish() {
	h.mu.Lock()
	h.subs.lock()
	h.subs.mu.Unlock()
	h.mu.Unlock()
}

func (s *Subs) Detach() {
	s.mu.Lock()
	s.hub.mu.Lock() // want `acquires s\.hub\.mu here while holding s\.mu`
	s.hub.mu.Unlock()
	s.mu.Unlock()
}

// 8. Goroutine bodies: each goroutine takes the locks in a different order.
type Table struct {
	rows sync.Mutex
	idx  sync.Mutex
}

func (t *Table) Rebuild(done chan bool) {
	go func() {
		t.rows.Lock()
		t.idx.Lock() // want `acquires t.idx here while holding t.rows`
		t.idx.Unlock()
		t.rows.Unlock()
		done <- true
	}()
	go func() {
		t.idx.Lock()
		t.rows.Lock() // want `acquires t\.rows here while holding t\.idx`
		t.rows.Unlock()
		t.idx.Unlock()
		done <- true
	}()
}

// 9. Deferred unlocks keep both held.
type Ledger struct {
	in, out sync.Mutex
}

func (l *Ledger) Credit() {
	l.in.Lock()
	defer l.in.Unlock()
	l.out.Lock() // want `acquires l.out here while holding l.in`
	defer l.out.Unlock()
}

func (l *Ledger) Debit() {
	l.out.Lock()
	defer l.out.Unlock()
	l.in.Lock() // want `acquires l\.in here while holding l\.out`
	defer l.in.Unlock()
}

// 10. Through a call chain two levels deep.
type Meta struct {
	mu   sync.Mutex
	data *Data
}

type Data struct {
	mu   sync.Mutex
	meta *Meta
}

func (d *Data) flush() { d.sync() }

func (d *Data) sync() {
	d.mu.Lock() // want `acquires m\.data\.mu \(through Data\.flush → Data\.sync\) here while holding m\.mu`
	d.mu.Unlock()
}

func (m *Meta) Commit() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data.flush()
}

func (d *Data) Touch() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.meta.mu.Lock() // want `acquires d\.meta\.mu here while holding d\.mu`
	d.meta.mu.Unlock()
}
