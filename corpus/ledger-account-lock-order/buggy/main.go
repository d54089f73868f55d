package main

import (
	"fmt"
	"sync"
	"time"
)

type Entry struct {
	Account string
	Amount  int
}

type Ledger struct {
	mu       sync.Mutex
	entries  []Entry
	accounts map[string]*Account
}

type Account struct {
	mu      sync.Mutex
	id      string
	balance int
	closed  bool
	ledger  *Ledger
}

func (l *Ledger) Open(id string) *Account {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := &Account{id: id, ledger: l}
	l.accounts[id] = a
	return a
}

func (l *Ledger) Post(a *Account, amount int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, Entry{Account: a.id, Amount: amount})
	time.Sleep(50 * time.Millisecond) // append to the journal file
	a.apply(amount)
}

func (l *Ledger) forget(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, id)
}

func (a *Account) apply(amount int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += amount
}

func (a *Account) Close() {
	a.mu.Lock()
	a.closed = true
	time.Sleep(50 * time.Millisecond) // settle pending holds
	a.ledger.forget(a.id)
	a.mu.Unlock()
}

func main() {
	for i := 0; i < 4; i++ {
		l := &Ledger{accounts: map[string]*Account{}}
		a := l.Open(fmt.Sprintf("acct-%d", i))
		go l.Post(a, 100)
		go a.Close()
	}
	select {}
}
