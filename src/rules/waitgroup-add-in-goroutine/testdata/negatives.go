// Negative fixtures for waitgroup-add-in-goroutine: Add before `go`, Adds that
// count the goroutine's own children and are waited on inside it, and methods
// named Add on types that are not sync.WaitGroup (whatever the variable is
// called).
package a

import (
	"sync"
	"sync/atomic"
	"time"
)

// addBeforeGo: the correct shape: Add in the spawning goroutine before `go`.
func addBeforeGo(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// addAllUpFront: Add(len(items)) once before the loop.
func addAllUpFront(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// waitGroupGo: Go 1.25's wg.Go does the Add before starting the goroutine.
func waitGroupGo(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() {
			process(it)
		})
	}
	wg.Wait()
}

// ownWaitGroupInGoroutine: the goroutine declares its own WaitGroup for its
// children; the Add inside the goroutine precedes the `go` of the child it
// counts, and the Wait is inside the same goroutine.
func ownWaitGroupInGoroutine(batches [][]int, done chan<- struct{}) {
	go func() {
		var wg sync.WaitGroup
		for _, b := range batches {
			for _, it := range b {
				wg.Add(1)
				go func() {
					defer wg.Done()
					process(it)
				}()
			}
		}
		wg.Wait()
		close(done)
	}()
}

// shadowedInGoroutine: an outer wg exists, but the goroutine declares its own
// `wg` that shadows it; the Add is on the inner one, waited inside.
func shadowedInGoroutine(items []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var wg sync.WaitGroup
		for _, it := range items {
			wg.Add(1)
			go func() {
				defer wg.Done()
				process(it)
			}()
		}
		wg.Wait()
	}()
	wg.Wait()
}

// spawnerWaitsInside: the WaitGroup is declared outside the background
// goroutine, but both the Adds (before each grandchild `go`) and the Wait run
// inside that goroutine; nothing outside waits on it.
func spawnerWaitsInside(items []int, done chan<- struct{}) {
	var wg sync.WaitGroup
	go func() {
		for _, it := range items {
			wg.Add(1)
			go func() {
				defer wg.Done()
				process(it)
			}()
		}
		wg.Wait()
		close(done)
	}()
}

// timeAddNamedWg: `wg` is a time.Time here; time.Time.Add is not a WaitGroup
// method.
func timeAddNamedWg(done chan<- time.Time) {
	wg := time.Now()
	go func() {
		done <- wg.Add(time.Second)
	}()
}

// counter is a local type with an Add method.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) Add(d int) {
	c.mu.Lock()
	c.n += d
	c.mu.Unlock()
}

func (c *counter) Wait() {}

// customCounterNamedWg: `wg` is a *counter with Add and Wait methods that
// merely look like a WaitGroup.
func customCounterNamedWg(items []int) {
	wg := &counter{}
	for _, it := range items {
		go func() {
			wg.Add(1)
			process(it)
		}()
	}
	wg.Wait()
}

// atomicAddNamedWg: atomic.Int64.Add in a goroutine, variable named wg.
func atomicAddNamedWg(items []int) int64 {
	var wg atomic.Int64
	var done sync.WaitGroup
	for _, it := range items {
		done.Add(1)
		go func() {
			defer done.Done()
			wg.Add(int64(it))
		}()
	}
	done.Wait()
	return wg.Load()
}

// job has a field named wg that is not a WaitGroup.
type job struct {
	wg   counter
	hits atomic.Int32
}

// fieldNamedWgNotWaitGroup: j.wg.Add is counter.Add; j.hits.Add is atomic.
func fieldNamedWgNotWaitGroup(j *job, items []int) {
	for _, it := range items {
		go func() {
			j.wg.Add(it)
			j.hits.Add(1)
		}()
	}
}

// syncIIFE: a function literal invoked synchronously (no `go`): the Add runs
// in the spawning goroutine before the `go` inside it.
func syncIIFE(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		func() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				process(it)
			}()
		}()
	}
	wg.Wait()
}

// deferredAdd: Add in a deferred closure of the spawning function is not
// inside a goroutine (odd but not this rule's concern).
func deferredAdd(wg *sync.WaitGroup) {
	defer func() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(1)
		}()
	}()
	process(2)
}

// helperAddsBeforeGo: a helper called synchronously Adds and then starts the
// goroutine; `spawn` is never started with `go` itself.
func spawn(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

func helperAddsBeforeGo(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		spawn(&wg, func() { process(it) })
	}
	wg.Wait()
}
