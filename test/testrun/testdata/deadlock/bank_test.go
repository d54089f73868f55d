package deadlock

import "testing"

func TestQuick(t *testing.T) {
	a := &Account{}
	a.Deposit(1)
}

func TestTransferDeadlocks(t *testing.T) {
	a := &Account{}
	results := make(chan int)
	Report(results, func(int) {})
	a.Transfer(10, results)
}
