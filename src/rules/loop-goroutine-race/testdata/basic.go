// Fixtures for loop-goroutine-race: goroutines of one loop writing one shared variable.
package a

import (
	"sync"
	"sync/atomic"
)

var processed int64

func work(items []int, wg *sync.WaitGroup) {
	defer wg.Done()
	for range items {
		processed++ // want `package-level "processed" is written at line \d+ by work, which every goroutine started in the loop`
	}
}

func startWorkers() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go work([]int{1, 2, 3}, &wg)
	}
	wg.Wait()
}

func collect(names []string) []string {
	var out []string
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			out = append(out, "hello "+n) // want `"out" is written at line \d+ by every goroutine started in the loop .* appends overwrite each other`
		}(n)
	}
	wg.Wait()
	return out
}

func sum(xs []int) int {
	total := 0
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func(x int) {
			defer wg.Done()
			total += x // want `"total" is written at line \d+ by every goroutine started in the loop`
		}(x)
	}
	wg.Wait()
	return total
}

func countErrors(jobs []func() error) int {
	failed := 0
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func(j func() error) {
			defer wg.Done()
			if j() != nil {
				failed++ // want `"failed" is written at line \d+ by every goroutine`
			}
		}(j)
	}
	wg.Wait()
	return failed
}

var hits int

func forever(n int) {
	for i := 0; i < n; i++ {
		go func() {
			hits-- // want `"hits" is written at line \d+ by every goroutine`
		}()
	}
}

var log []string

func record(msgs []string) {
	for _, m := range msgs {
		go func(m string) {
			log = append(log, m) // want `"log" is written at line \d+ by every goroutine`
		}(m)
	}
}

// collectLocked (negative): the append is under a mutex.
func collectLocked(names []string) []string {
	var out []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			mu.Lock()
			out = append(out, n)
			mu.Unlock()
		}(n)
	}
	wg.Wait()
	return out
}

var counted int64

// workAtomic (negative): atomic add.
func workAtomic(wg *sync.WaitGroup) {
	defer wg.Done()
	atomic.AddInt64(&counted, 1)
}

func startAtomic() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go workAtomic(&wg)
	}
	wg.Wait()
}

// perGoroutine (negative): each goroutine writes its own variable.
func perGoroutine(xs []int) {
	for _, x := range xs {
		go func(x int) {
			local := 0
			local += x
			_ = local
		}(x)
	}
}

// oneAtATime (negative): the loop waits for each goroutine before starting the next.
func oneAtATime(xs []int) int {
	total := 0
	for _, x := range xs {
		done := make(chan struct{})
		go func() {
			total += x
			close(done)
		}()
		<-done
	}
	return total
}

// afterReceive (negative): the goroutine writes after a channel receive that orders it.
func afterReceive(xs []int, turn chan struct{}) int {
	total := 0
	for _, x := range xs {
		go func(x int) {
			<-turn
			total += x
			turn <- struct{}{}
		}(x)
	}
	return total
}

// single (negative): one goroutine, not in a loop.
func single() int {
	n := 0
	go func() { n++ }()
	return n
}

var ticks int

// workLocked (negative): the called function takes a lock.
func workLocked(mu *sync.Mutex) {
	mu.Lock()
	ticks++
	mu.Unlock()
}

func startLocked() {
	var mu sync.Mutex
	for i := 0; i < 4; i++ {
		go workLocked(&mu)
	}
}

// fieldWrite (negative): not a plain variable (fields are out of scope).
type acc struct{ n int }

func fieldWrite(a *acc) {
	for i := 0; i < 3; i++ {
		go func() { a.n = i }()
	}
}
