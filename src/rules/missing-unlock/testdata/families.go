package a

import (
	"errors"
	"sync"
)

// False-positive families found on the Go standard library (see bench/triage/syncD.md).

// Correlated conditions (math/big natconv.go): the lock and the unlock are under the
// same side-effect-free condition, so a path that locked also unlocks.
var cache10 struct {
	sync.Mutex
	table []int
}

func divisors(b, k int) []int {
	var table []int
	if b == 10 {
		cache10.Lock()
		table = cache10.table[:k]
	} else {
		table = make([]int, k)
	}
	for i := range table {
		table[i] = i * b
	}
	if b == 10 {
		cache10.Unlock()
	}
	return table
}

// The release function is returned to the caller (database/sql grabConn).
type releaseFunc func(error)

type Tx struct {
	closemu sync.RWMutex
	done    bool
}

func (tx *Tx) release(error) { tx.closemu.RUnlock() }

func (tx *Tx) grab() (releaseFunc, error) {
	tx.closemu.RLock()
	if tx.done {
		tx.closemu.RUnlock()
		return nil, errors.New("done")
	}
	return tx.release, nil
}

// The mutex is passed to a goroutine that unlocks it (runtime/pprof tests).
func unlockLater(mu *sync.Mutex, wg *sync.WaitGroup) {
	defer wg.Done()
	mu.Unlock()
}

func handToGoroutine() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	mu.Lock()
	go unlockLater(&mu, &wg)
	wg.Wait()
}

// The mutex is passed to another package's function that may unlock it.
func withCond() {
	var mu sync.Mutex
	mu.Lock()
	c := sync.NewCond(&mu)
	c.Signal()
	mu.Unlock()
}

// A real bug of the same shape as cmd/go/internal/cache/prog.go writeToChild and
// testing.(*common).makeTempDir in Go 1.26: an error return between Lock and Unlock.
type prog struct {
	mu       sync.Mutex
	inFlight map[int]chan int
	next     int
}

func (p *prog) send(ch chan int) error {
	p.mu.Lock() // want `p.mu is locked here and is still held at the return at line 88`
	if p.inFlight == nil {
		return errors.New("closed")
	}
	p.next++
	p.inFlight[p.next] = ch
	p.mu.Unlock()
	return nil
}

// The owner records that the lock stays held (database/sql Rows.Scan sets
// closemuScanHold and Next releases it).
type Rows struct {
	closemu   sync.RWMutex
	scanHold  bool
	raw       []byte
	keepBytes bool
}

func (rs *Rows) Scan() error {
	rs.closemu.RLock()
	rs.raw = rs.raw[:0]
	if rs.keepBytes {
		rs.scanHold = true
	} else {
		rs.closemu.RUnlock()
	}
	return nil
}

func (rs *Rows) Next() bool {
	if rs.scanHold {
		rs.scanHold = false
		rs.closemu.RUnlock()
	}
	return true
}

// A conditional lock helper (syscall.acquireForkLock): takes a package-level write lock
// only for the first of several "conceptual" holders and never unlocks it itself;
// releaseForkLock does when the count drops to zero.
var (
	forkingLock sync.Mutex
	forkLock    sync.RWMutex
	forking     int
)

func acquireForkLock() {
	forkingLock.Lock()
	defer forkingLock.Unlock()
	if forking == 0 {
		forkLock.Lock()
		forking++
		return
	}
	// Let waiting readers in (the RLock/RUnlock pair is not an Unlock of the write lock).
	forkingLock.Unlock()
	forkLock.RLock()
	forkLock.RUnlock()
	forkingLock.Lock()
	forking++
}

func releaseForkLock() {
	forkingLock.Lock()
	defer forkingLock.Unlock()
	forking--
	if forking == 0 {
		forkLock.Unlock()
	}
}
