package a

import "sync"

// Adds inside a goroutine ordered before the spawner's Wait by a hand-off: the goroutine
// sends on (or closes) a channel after its last Add, and the spawner receives from it
// before it waits. A receive completes only after its send (Go memory model), so Wait
// sees every Add.

func process(int) {}

// The producer counts each item's worker, then signals done; the spawner waits for the
// signal before Wait. Silent.
func countThenSignal(items []int) {
	var wg sync.WaitGroup
	work := make(chan int, len(items))
	done := make(chan struct{})
	go func() {
		for _, it := range items {
			wg.Add(1)
			work <- it
		}
		close(done)
	}()
	<-done
	close(work)
	for it := range work {
		go func(it int) {
			defer wg.Done()
			process(it)
		}(it)
	}
	wg.Wait()
}

// The spawner waits without receiving the signal first: Wait can run before the Adds.
func countWithoutWaitingForSignal(items []int) {
	var wg sync.WaitGroup
	work := make(chan int, len(items))
	done := make(chan struct{})
	go func() {
		for _, it := range items {
			wg.Add(1) // want `is called inside the goroutine it counts|runs inside the goroutine`
			work <- it
		}
		close(done)
	}()
	wg.Wait()
	<-done
}

// The signal comes before the Add: the spawner's Wait can still run first.
func signalThenCount(items []int) {
	var wg sync.WaitGroup
	ready := make(chan struct{})
	go func() {
		close(ready)
		for range items {
			wg.Add(1) // want `is called inside the goroutine it counts|runs inside the goroutine`
		}
	}()
	<-ready
	wg.Wait()
}
