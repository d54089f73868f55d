// Command doublelock shows the most common Go deadlock: a method that holds a
// mutex calls another method of the same value that takes it again
// (sync.Mutex is not reentrant; seed chapter 4.1).
package main

import (
	"fmt"
	"sync"
)

type account struct {
	mu      sync.Mutex
	balance int
	history []int
}

// Balance takes the lock to read the balance.
func (a *account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// Deposit holds a.mu and then calls Balance, which locks a.mu again: the
// goroutine deadlocks on itself.
func (a *account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
	a.history = append(a.history, a.Balance())
}

func main() {
	a := &account{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Deposit(10)
	}()
	select {
	case <-done:
		fmt.Println("deposited")
	default:
		fmt.Println("Deposit may never return: it locks a.mu twice")
	}
}
