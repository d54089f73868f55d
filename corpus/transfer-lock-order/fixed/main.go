package main

import (
	"fmt"
	"sync"
	"time"
)

type account struct {
	id      int
	mu      sync.Mutex
	balance int
}

func transfer(from, to *account, n int) {
	first, second := from, to
	if first.id > second.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func main() {
	a, b := &account{id: 1, balance: 10}, &account{id: 2, balance: 10}
	go transfer(a, b, 1)
	go transfer(b, a, 2)
	go func() {
		time.Sleep(100 * time.Millisecond)
		fmt.Println("transfers started")
	}()
	select {}
}
