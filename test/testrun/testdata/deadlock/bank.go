// Package deadlock has a test that deadlocks: the seed's badLock (chapter 4.1,
// "同一goroutine重复加锁") reached through a helper, and a worker that waits for
// a result the deadlocked test never sends.
package deadlock

import "sync"

// Account is guarded by mu.
type Account struct {
	mu      sync.Mutex
	balance int
}

// Deposit locks the account.
func (a *Account) Deposit(n int) {
	a.mu.Lock() // site: relock
	defer a.mu.Unlock()
	a.balance += n
}

// Transfer holds the lock while calling Deposit, which locks it again.
func (a *Account) Transfer(n int, results chan<- int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Deposit(n)
	results <- a.balance
}

// Report waits for a result.
func Report(results <-chan int, out func(int)) {
	go func() {
		out(<-results) // site: waiting-worker
	}()
}
