package main

import (
	"fmt"
	"log"
	"sync"
)

type Account struct {
	mu      sync.Mutex
	id      string
	balance int64
	history []int64
}

func (a *Account) String() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("account %s (balance %d)", a.id, a.balance)
}

func (a *Account) Deposit(amount int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += amount
	a.history = append(a.history, amount)
}

func (a *Account) Withdraw(amount int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if amount > a.balance {
		return fmt.Errorf("withdraw %d from %v: insufficient funds", amount, a)
	}
	a.balance -= amount
	a.history = append(a.history, -amount)
	return nil
}

func main() {
	var accounts []*Account
	for i := 0; i < 5; i++ {
		accounts = append(accounts, &Account{id: fmt.Sprintf("acct-%d", i)})
	}
	for _, acc := range accounts {
		go func(a *Account) {
			a.Deposit(50)
			if err := a.Withdraw(80); err != nil {
				log.Print(err)
			}
		}(acc)
	}
	select {}
}
