package a

import "sync"

// False-positive families found on the Go standard library (see bench/triage/syncD.md).

type node struct {
	mu     sync.Mutex
	parent *node
	val    int
}

// Hand-over-hand locking (go/constant, testing.frameSkip, unique.canonMap): the variable
// is reassigned, so the next Lock is on another node.
func (n *node) walkUp() int {
	total := 0
	cur := n
	cur.mu.Lock()
	for cur.parent != nil {
		p := cur.parent
		p.mu.Lock()
		total += cur.val
		cur.mu.Unlock()
		cur = p
	}
	cur.mu.Unlock()
	return total
}

// The receiver itself is reassigned in the loop.
func (n *node) root() *node {
	n.mu.Lock()
	for n.parent != nil {
		p := n.parent
		n.mu.Unlock()
		n = p
		n.mu.Lock()
	}
	n.mu.Unlock()
	return n
}

// A bool parameter says whether the caller holds the lock (crypto/tls setReadTrafficSecret).
func (n *node) set(v int, locked bool) {
	if !locked {
		n.mu.Lock()
		defer n.mu.Unlock()
	}
	n.val = v
}

func (n *node) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.set(0, true)
}

// A mutex used as a one-shot signal: another goroutine unlocks it (runtime/chan_test).
func waitForWorker(work func()) {
	var done sync.Mutex
	done.Lock()
	go func() {
		work()
		done.Unlock()
	}()
	done.Lock()
}

// The goroutine locks a mutex the spawner unlocks (sync/rwmutex_test).
func pingPong(n int) {
	var turn sync.Mutex
	ready := make(chan bool, 1)
	go func() {
		for i := 0; i < n; i++ {
			turn.Lock()
			ready <- true
		}
	}()
	for i := 0; i < n; i++ {
		<-ready
		turn.Unlock()
	}
}

// A mutex declared inside the loop body is a new mutex each iteration.
func perIteration(xs []int) int {
	sum := 0
	for _, x := range xs {
		var m sync.Mutex
		m.Lock()
		sum += x
		if x < 0 {
			continue
		}
		m.Unlock()
	}
	return sum
}
