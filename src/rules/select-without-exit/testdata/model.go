package a

import (
	"fmt"
	"time"
)

// Exits through channels nothing that can run closes (program model).

// startHeartbeat is the corpus case heartbeat-stop-closure-unused: the only close of
// done is in the returned stop closure, which every caller drops.
func startHeartbeat(name string, beats chan<- string) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for { // want "the for/select loop at line 17 in the goroutine started at line 14 never ends: its only way out is receiving from \"done\", and nothing that can run ever sends on or closes it"
			select {
			case <-t.C:
				beats <- name
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

func session(i int, beats chan<- string) {
	stop := startHeartbeat(fmt.Sprint("s", i), beats)
	_ = stop
}

// --- negatives ---

// The caller keeps and calls the stop closure.
func startPoller(out chan<- int) func() {
	quit := make(chan struct{})
	go func() {
		for {
			select {
			case out <- 1:
			case <-quit:
				return
			}
		}
	}()
	return func() { close(quit) }
}

func usePoller(out chan<- int) {
	stop := startPoller(out)
	defer stop()
}

// The stop closure is handed to code the model does not see.
func startWatcher(register func(func())) {
	halt := make(chan struct{})
	go func() {
		for {
			select {
			case <-time.After(time.Second):
			case <-halt:
				return
			}
		}
	}()
	register(func() { close(halt) })
}
