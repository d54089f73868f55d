package main

import "sync"

type account struct {
	id      int
	mu      sync.Mutex
	balance int
}

// transfer locks the account with the lower id first, whatever the direction.
func transfer(from, to *account, n int) {
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i
	}
	return s
}

var sink int

func main() {
	for i := 0; i < 5; i++ {
		a, b := &account{id: 1, balance: 10}, &account{id: 2, balance: 10}
		go transfer(a, b, 1)
		sink += spin(20000)
		go transfer(b, a, 1)
	}
	select {}
}
