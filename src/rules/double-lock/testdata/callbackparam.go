package a

import "sync"

// A method that runs its callback parameter while holding its own lock, and a caller
// whose callback takes that lock again (on some of its paths).

type roster struct {
	mu      sync.RWMutex
	members map[string]int
}

func (r *roster) Walk(visit func(name string, score int)) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for n, s := range r.members {
		visit(n, s)
	}
}

func (r *roster) Drop(name string) {
	r.mu.Lock() // want `this Lock of r.mu can run while the same goroutine already holds it: roster.Walk RLocks r.mu`
	defer r.mu.Unlock()
	delete(r.members, name)
}

func (r *roster) Score(name string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.members[name]
}

func pruneRoster(r *roster) {
	r.Walk(func(name string, score int) {
		if score == 0 {
			r.Drop(name)
		}
	})
}

// Negatives.

// The walk copies under the lock and runs the callback after releasing it.
func (r *roster) WalkSnapshot(visit func(name string, score int)) {
	r.mu.RLock()
	snap := make(map[string]int, len(r.members))
	for n, s := range r.members {
		snap[n] = s
	}
	r.mu.RUnlock()
	for n, s := range snap {
		visit(n, s)
	}
}

func pruneSnapshot(r *roster) {
	r.WalkSnapshot(func(name string, score int) {
		if score == 0 {
			r.Drop(name)
		}
	})
}

// The callback locks another roster.
func mergeRosters(from, to *roster) {
	from.Walk(func(name string, score int) {
		to.Drop(name)
	})
}

// The callback does not lock at all.
func countRoster(r *roster) int {
	n := 0
	r.Walk(func(string, int) { n++ })
	return n
}

// The walk hands each entry to a new goroutine: the callback does not run under the lock.
func (r *roster) WalkAsync(visit func(name string, score int)) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for n, s := range r.members {
		go visit(n, s)
	}
}

func pruneAsync(r *roster) {
	r.WalkAsync(func(name string, score int) {
		if score == 0 {
			r.Drop(name)
		}
	})
}

// The callback is a local closure: reported like a literal.
func (r *roster) Reset(name string) {
	r.mu.Lock() // want `this Lock of r.mu can run while the same goroutine already holds it: roster.Walk RLocks r.mu`
	defer r.mu.Unlock()
	r.members[name] = 0
}

func resetRoster(r *roster) {
	reset := func(name string, _ int) { r.Reset(name) }
	r.Walk(reset)
}
