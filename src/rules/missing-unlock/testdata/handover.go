package a

// Locks handed over to an object (issue 11, families 4 and 6), written from the shapes
// seen on real code.

import (
	"errors"
	"os"
	"sync"
	"syscall"
)

var errClosed = errors.New("closed")

// Txn is what Read returns: callers reach End through the interface.
type Txn interface {
	Get(k string) int
	End()
}

type kv struct {
	mu     sync.RWMutex
	data   map[string]int
	closed bool
}

type txn struct{ s *kv }

func (t *txn) Get(k string) int { return t.s.data[k] }
func (t *txn) End()            { t.s.mu.RUnlock() }

// Family 4: the read lock is handed to the returned transaction, whose End releases it.
func (s *kv) Read() (Txn, error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, errClosed
	}
	return &txn{s: s}, nil
}

// The same through a local variable and a positional literal.
func (s *kv) ReadLocal() (Txn, error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, errClosed
	}
	t := &txn{s}
	return t, nil
}

// A caller that passes the transaction on: the lock travels with it.
func (s *kv) Begin(check bool) (Txn, error) {
	t, err := s.Read()
	if err != nil {
		return nil, err
	}
	if check && s.closed {
		t.End()
		return nil, errClosed
	}
	return t, nil
}

// The positive twin: the returned snapshot has no method that unlocks.
type snapshot struct{ s *kv }

func (sn *snapshot) Get(k string) int { return sn.s.data[k] }

func (s *kv) Snapshot() (*snapshot, error) {
	s.mu.RLock() // want `s.mu is locked here and is still held at the return at line 77`
	if s.closed {
		s.mu.RUnlock()
		return nil, errClosed
	}
	return &snapshot{s: s}, nil
}

// Stored in a field that outlives the call: the cursor's Close releases the lock later.
type cursor struct{ s *kv }

func (c *cursor) Close() { c.s.mu.RUnlock() }

type scanner struct {
	db  *kv
	cur *cursor
}

func (sc *scanner) Open() error {
	sc.db.mu.RLock()
	if sc.db.closed {
		sc.db.mu.RUnlock()
		return errClosed
	}
	sc.cur = &cursor{s: sc.db}
	return nil
}

// Family 6: a mutex used as a one-shot gate, returned locked and opened by a method.
type gate struct{ mu sync.Mutex }

func newGate() *gate {
	g := &gate{}
	g.mu.Lock()
	return g
}

func (g *gate) Open() { g.mu.Unlock() }

func (g *gate) Wait() {
	g.mu.Lock()
	defer g.mu.Unlock()
}

// Family 6: a signal handler takes the lock so nothing writes while the process dies.
func onSignal(mu *sync.Mutex, sigs chan os.Signal, flush func()) {
	go func() {
		sig := <-sigs
		mu.Lock()
		flush()
		syscall.Kill(syscall.Getpid(), sig.(syscall.Signal))
	}()
}

func onSignalProcess(mu *sync.Mutex, sigs chan os.Signal) {
	go func() {
		<-sigs
		mu.Lock()
		p, _ := os.FindProcess(os.Getpid())
		p.Kill()
	}()
}

// The twin: a goroutine that signals another process and returns still holding the lock.
func onSignalOther(mu *sync.Mutex, sigs chan os.Signal, pid int) {
	go func() {
		<-sigs
		mu.Lock() // want `mu is locked here and is still held at the end of the goroutine started at line 137 in onSignalOther`
		syscall.Kill(pid, syscall.SIGTERM)
	}()
}
