// Reproduces time-after-in-loop-pre-go123: time.After in a loop under go 1.22 semantics
// (this module's go.mod says go 1.22), so every timer stays alive until it fires.
package main

import (
	"runtime"
	"time"

	"example.com/leakscope-signatures/common"
)

func consume(events <-chan int) int {
	n := 0
	for i := 0; i < 30000; i++ {
		select {
		case <-events:
			n++
		case <-time.After(time.Hour): // a new one-hour timer per iteration
			return n
		}
	}
	return n
}

func main() {
	runtime.MemProfileRate = 512
	events := make(chan int, 1)
	go func() {
		for {
			events <- 1
		}
	}()
	consume(events)
	runtime.GC()
	runtime.GC()
	common.ServePprof()
}
