package a

import "sync"

// Two objects of one type locked in the argument order; the caller swaps the arguments
// on two goroutines.
type account struct {
	id      int
	mu      sync.Mutex
	balance int
}

func transfer(from, to *account, n int) {
	first, second := from, to
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock() // want `lock order inversion: transfer locks second.mu while holding first.mu .* main2 runs it with the two arguments swapped`
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func main2() {
	a, b := &account{id: 1}, &account{id: 2}
	go transfer(a, b, 1)
	go transfer(b, a, 2)
}

// Negatives: ordered by id; the same order on both calls; sequential calls.
func transferOrdered(from, to *account, n int) {
	first, second := from, to
	if first.id > second.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func move(from, to *account) {
	from.mu.Lock()
	to.mu.Lock()
	to.balance, from.balance = from.balance, 0
	to.mu.Unlock()
	from.mu.Unlock()
}

func runOrdered() {
	a, b := &account{id: 1}, &account{id: 2}
	go transferOrdered(a, b, 1)
	go transferOrdered(b, a, 2)
}

func runSameOrder() {
	a, b := &account{id: 1}, &account{id: 2}
	go move(a, b)
	go move(a, b)
}

func runSequential() {
	a, b := &account{id: 1}, &account{id: 2}
	move(a, b)
	move(b, a)
}
