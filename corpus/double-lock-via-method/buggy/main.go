package main

import (
	"errors"
	"fmt"
	"sync"
)

type account struct {
	mu      sync.Mutex
	balance int
}

func (a *account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *account) Withdraw(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Balance() < n {
		return errors.New("insufficient funds")
	}
	a.balance -= n
	return nil
}

func main() {
	acct := &account{balance: 100}
	go func() {
		fmt.Println(acct.Withdraw(10))
	}()
	select {}
}
