package a

import (
	"errors"
	"log"
	"sync"
)

// A panic raised while a lock is held unwinds only through deferred calls: when a caller
// on the same goroutine recovers it and carries on, the lock stays locked.
type ledger struct {
	guard   sync.RWMutex
	balance map[string]int64
}

func (l *ledger) debit(acct string, amt int64) {
	l.guard.Lock() // want `l.guard is locked here and still held at the panic at line 21 \(no deferred Unlock\); handleDebit recovers that panic`
	cur := l.balance[acct]
	switch {
	case amt < 0:
		panic(errors.New("negative amount"))
	case cur < amt:
		l.balance[acct] = 0
	default:
		l.balance[acct] = cur - amt
	}
	l.guard.Unlock()
}

// The recover sits two calls up, in a request handler that logs and goes on.
func handleDebit(l *ledger, acct string, amt int64) (err error) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("debit failed: %v", v)
			err = errors.New("internal error")
		}
	}()
	applyDebit(l, acct, amt)
	return nil
}

func applyDebit(l *ledger, acct string, amt int64) { l.debit(acct, amt) }

// Negatives.

// The unlock is deferred: the panic releases it.
func (l *ledger) credit(acct string, amt int64) {
	l.guard.Lock()
	defer l.guard.Unlock()
	if amt < 0 {
		panic("negative amount")
	}
	l.balance[acct] += amt
}

func handleCredit(l *ledger, acct string, amt int64) {
	defer func() { _ = recover() }()
	l.credit(acct, amt)
}

// Nobody recovers: the program crashes, a held lock does not matter.
func (l *ledger) audit(acct string) int64 {
	l.guard.RLock()
	v, ok := l.balance[acct]
	if !ok {
		panic("unknown account " + acct)
	}
	l.guard.RUnlock()
	return v
}

func report(l *ledger) int64 { return l.audit("root") }

// The recover runs in the goroutine's own frame, not the caller's.
func (l *ledger) reset(acct string) {
	l.guard.Lock()
	if acct == "" {
		panic("empty account")
	}
	delete(l.balance, acct)
	l.guard.Unlock()
}

func resetAsync(l *ledger) {
	defer func() { _ = recover() }()
	go l.reset("")
}

// The deferred function re-panics after cleaning up: the panic goes on, nothing resumes.
func (l *ledger) close(acct string) {
	l.guard.Lock()
	if _, ok := l.balance[acct]; !ok {
		panic("closing unknown account")
	}
	delete(l.balance, acct)
	l.guard.Unlock()
}

func closeAll(l *ledger, accts []string) {
	defer func() {
		if v := recover(); v != nil {
			log.Print("close failed, crashing")
			panic(v)
		}
	}()
	for _, a := range accts {
		l.close(a)
	}
}

// The deferred recover is registered only after the call that panics: it cannot catch
// that panic (a defer covers only what runs after the defer statement).
func (l *ledger) freeze(acct string) {
	l.guard.Lock()
	if l.balance[acct] < 0 {
		panic("overdrawn")
	}
	l.balance[acct] = -1
	l.guard.Unlock()
}

func freezeThenProbe(l *ledger, probe func()) {
	l.freeze("root")
	defer func() { _ = recover() }()
	probe()
}
