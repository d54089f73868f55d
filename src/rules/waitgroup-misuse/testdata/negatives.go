package a

import "sync"

// Reused in a loop: Wait, then Add for the next batch, then Wait again (allowed by the docs).
func batches(groups [][]int) {
	var wg sync.WaitGroup
	for _, g := range groups {
		for _, it := range g {
			wg.Add(1)
			go func() {
				defer wg.Done()
				process(it)
			}()
		}
		wg.Wait()
	}
}

// Add after Wait followed by another Wait.
func twoPhases() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// The WaitGroup escapes: a helper Adds.
func spawn(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

func escapes() {
	var wg sync.WaitGroup
	spawn(&wg, func() {})
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Pointer parameters are fine.
func byPointer(wg *sync.WaitGroup, x int) {
	defer wg.Done()
	process(x)
}

// Go 1.25 wg.Go does the Add.
func withGo(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { process(it) })
	}
	wg.Wait()
}

// Deferred Wait runs after every Add.
func deferredWait() {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done() }()
}

// Waited by a closer goroutine.
func closer(items []int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- process(it)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Negative Add within the count.
func balanced() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Add(-1) }()
	wg.Add(-1)
	wg.Wait()
}

// Adds in a loop make the total unknown: silent.
func loopAdds(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
	}
	wg.Add(-1)
}

// A WaitGroup field is Added by its owner's other methods.
type server struct{ wg sync.WaitGroup }

func (s *server) handle() {
	defer s.wg.Done()
}

// A struct holding a WaitGroup by pointer is fine.
type job struct {
	wg *sync.WaitGroup
}

func (j job) finish() { j.wg.Done() }

// The wg is a copy of another (assigned), not tracked.
func copyOf(src *sync.WaitGroup) {
	wg := src
	wg.Done()
}

// The WaitGroup stored in a struct literal escapes.
func stored() *job {
	var wg sync.WaitGroup
	go func() { defer wg.Done() }()
	return &job{wg: &wg}
}

// A composite-literal WaitGroup counted correctly.
func literalValueOK(items []int) {
	wg := sync.WaitGroup{}
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// A copy of another WaitGroup is not tracked.
func copied(src *sync.WaitGroup) {
	wg := *src
	wg.Done()
}
