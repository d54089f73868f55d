// Fixtures for waitgroup-add-in-goroutine: wg.Add is called inside the
// goroutine it is meant to count, on a WaitGroup that is declared outside the
// goroutine and waited on outside it. The `go` statement returns before the
// new goroutine runs, so Wait can observe a zero counter and return while the
// goroutines are still running (or have not started); the "wait for all
// workers" guarantee is lost. The finding is on the Add call.
package a

import (
	"fmt"
	"sync"
	"time"
)

func process(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }

// addInFuncLit: the classic mistake: Add as the first statement of the go
// func literal.
func addInFuncLit(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			wg.Add(1) // want "Add.* inside the goroutine"
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// addNotFirst: Add after some other statements of the goroutine; the race
// window is only wider.
func addNotFirst(items []int) {
	var wg sync.WaitGroup
	for i, it := range items {
		go func() {
			fmt.Println("starting", i)
			wg.Add(1) // want "Add.* inside the goroutine"
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// addPointerLocal: the WaitGroup is a local pointer (new / &sync.WaitGroup{}).
func addPointerLocal(items []int) {
	wg := new(sync.WaitGroup)
	for _, it := range items {
		go func() {
			wg.Add(1) // want "Add.* inside the goroutine"
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// addPointerLiteral: `wg := &sync.WaitGroup{}`, Add of a batch size.
func addPointerLiteral(batches [][]int) {
	wg := &sync.WaitGroup{}
	for _, b := range batches {
		go func(batch []int) {
			wg.Add(len(batch)) // want "Add.* inside the goroutine"
			for _, it := range batch {
				process(it)
				wg.Done()
			}
		}(b)
	}
	wg.Wait()
}

// addConditional: Add inside an if in the goroutine.
func addConditional(items []int, track bool) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			if track {
				wg.Add(1) // want "Add.* inside the goroutine"
				defer wg.Done()
			}
			process(it)
		}()
	}
	wg.Wait()
}

// addViaParam: the WaitGroup is passed as *sync.WaitGroup; the Add runs in the
// goroutine started here, the Wait runs in the caller (runAllViaParam).
func addViaParam(wg *sync.WaitGroup, items []int) {
	for _, it := range items {
		go func() {
			wg.Add(1) // want "Add.* inside the goroutine"
			defer wg.Done()
			process(it)
		}()
	}
}

func runAllViaParam(items []int) {
	var wg sync.WaitGroup
	addViaParam(&wg, items)
	wg.Wait()
}

// addInSpawnerWaitOutside: a single spawner goroutine Adds for each
// grandchild it starts, but the Wait is in the enclosing function, outside
// the spawner. Wait may run before the spawner's first Add and return at
// once: the same race one level up.
func addInSpawnerWaitOutside(items []int) {
	var wg sync.WaitGroup
	go func() {
		for _, it := range items {
			wg.Add(1) // want "Add.* inside the goroutine"
			go func() {
				defer wg.Done()
				process(it)
			}()
		}
	}()
	wg.Wait()
}
