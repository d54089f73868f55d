package main

import "sync"

type account struct {
	mu      sync.Mutex
	balance int
}

// transfer locks the source, then the destination: two transfers in opposite
// directions at the same moment hold one lock each and wait for the other.
func transfer(from, to *account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
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
		a, b := &account{balance: 10}, &account{balance: 10}
		go transfer(a, b, 1)
		sink += spin(20000)
		go transfer(b, a, 1)
	}
	select {}
}
