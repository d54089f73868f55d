package withtests

func check(l *ledger) int {
	a := l.a
	a.mu.Lock()
	defer a.mu.Unlock()
	// Reads the ledger under the audit lock: the opposite order of post.
	l.mu.Lock() // want `check acquires l.mu here while holding a.mu \(locked at line 5\), but ledger.post acquires l.a.mu while holding l.mu \(store.go:48\)`
	defer l.mu.Unlock()
	return l.n - a.n
}
