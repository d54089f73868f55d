package a

import "sync"

// A lock taken again through a chain of same-package calls (issue 13: any number of
// calls, not two).
type ledger struct {
	mu      sync.Mutex
	entries []int
}

func (l *ledger) append(v int) {
	l.mu.Lock()
	l.entries = append(l.entries, v)
	l.mu.Unlock()
}

func (l *ledger) record(v int)   { l.append(v) }
func (l *ledger) journal(v int)  { l.record(v) }
func (l *ledger) checkpoint()    { l.journal(0) }
func (l *ledger) commitAll(n int) { l.checkpoint(); _ = n }

func (l *ledger) rotate() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.commitAll(len(l.entries)) // want "calling ledger.commitAll → ledger.checkpoint → ledger.journal → ledger.record → ledger.append Locks l.mu"
}

// Negative: the chain runs after the unlock.
func (l *ledger) rotateLater() {
	l.mu.Lock()
	n := len(l.entries)
	l.mu.Unlock()
	l.commitAll(n)
}
