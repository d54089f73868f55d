package a

// Families found on real code (bench/triage/realcode.md, issue 11), written from the
// shapes, not copied.

import (
	"io"
	"sync"
)

type recorder struct {
	mu   sync.Mutex
	seen int
}

type stream struct{ msgs []int }

func (s *stream) Recv() (int, error) {
	if len(s.msgs) == 0 {
		return 0, io.EOF
	}
	m := s.msgs[0]
	s.msgs = s.msgs[1:]
	return m, nil
}

// Family 3: a flag set next to the lock keeps the loop from locking twice.
func (r *recorder) drain(st *stream) error {
	holding := false
	for {
		m, err := st.Recv()
		if err != nil {
			return err
		}
		if m > 0 {
			if !holding {
				r.mu.Lock()
				defer r.mu.Unlock()
				holding = true
			}
			r.seen += m
		}
	}
}

// The flag declared with its zero value (`var held bool`) and set under another condition.
func (r *recorder) once(xs []int) {
	var held bool
	if len(xs) == 0 {
		r.mu.Lock()
		held = true
	}
	if !held {
		r.mu.Lock()
	}
	r.seen = len(xs)
	r.mu.Unlock()
}

// The positive twin: the flag is never set, so the second iteration locks again.
func (r *recorder) drainBug(st *stream) error {
	holding := false
	for {
		m, err := st.Recv()
		if err != nil {
			return err
		}
		if !holding {
			r.mu.Lock() // want `r.mu.Lock\(\) is called while r.mu is already held \(Lock at line 69 on the previous loop iteration`
		}
		r.seen += m
	}
}

// A loop condition that is the same expression as the if that unlocks: the loop only
// goes round after the unlock.
func (r *recorder) spin(try func() bool) {
	for done := false; !done; {
		r.mu.Lock()
		done = try()
		if !done {
			r.mu.Unlock()
		}
	}
	r.seen++
	r.mu.Unlock()
}

// The twin: unlocking under another condition leaves the lock held into the next round.
func (r *recorder) spinBug(try func() bool, verbose bool) {
	for done := false; !done; {
		r.mu.Lock() // want `r.mu.Lock\(\) is called while r.mu is already held \(Lock at line 92 on the previous loop iteration`
		done = try()
		if verbose {
			r.mu.Unlock()
		}
	}
	r.mu.Unlock()
}

// A recursive RLock on a RWMutex that nothing ever write-locks cannot deadlock (a
// benchmark of read locks).
func readersOnly(n int) {
	mu := sync.RWMutex{}
	i := 0
	for ; i < n; i++ {
		mu.RLock()
	}
	for ; i > 0; i-- {
		mu.RUnlock()
	}
}

// The twin: a writer exists, so a queued Lock between the two RLocks deadlocks.
type table struct {
	mu   sync.RWMutex
	rows map[string]int
}

func (t *table) get(k string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[k]
}

func (t *table) set(k string, v int) {
	t.mu.Lock() // want `this Lock can block forever: table.sum read-locks t.mu again while it already holds a read lock of it \(line 137\)`
	t.rows[k] = v
	t.mu.Unlock()
}

func (t *table) sum(keys []string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := 0
	for _, k := range keys {
		n += t.get(k) // want `calling table.get RLocks t.mu .*recursive RLock deadlocks`
	}
	return n
}

// The same through a local of that type: its methods write-lock it elsewhere.
func firstRow(keys []string) int {
	t := &table{rows: map[string]int{}}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.get(keys[0]) // want `calling table.get RLocks t.mu`
}

// A type declared inside the function, write-locked in the same loop.
func paddedReaders(n int) {
	type padded struct {
		sync.RWMutex
		pad [8]uint64
	}
	var m padded
	for i := 0; i < n; i++ {
		m.RLock()
		m.RLock() // want `m.RWMutex.RLock\(\) is called while m.RWMutex is already held \(RLock at line 158`
		m.RUnlock()
		m.RUnlock()
		m.Lock()
		m.pad[0]++
		m.Unlock()
	}
}
