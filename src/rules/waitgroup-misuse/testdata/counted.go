package a

import (
	"errors"
	"log"
	"sync"
)

// The goroutine returns early on an error without Done: Wait blocks forever
// (corpus case waitgroup-missing-done-error-path).
func earlyReturn(urls []string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(urls))
	for i, u := range urls {
		wg.Add(1)
		go func(i int, u string) {
			if u == "" {
				errs[i] = errors.New("empty url")
				return // want `the goroutine started at line 16 returns at line 19 without calling wg.Done\(\): the counter never reaches zero and wg.Wait\(\) at line 25 blocks forever`
			}
			errs[i] = nil
			wg.Done()
		}(i, u)
	}
	wg.Wait()
	return errs
}

// A break out of the loop skips the Done at its end.
func breakSkipsDone(jobs chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for j := range jobs {
			if j < 0 {
				break
			}
		}
		if len(jobs) > 0 {
			return // want `returns at line 40 without calling wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()
}

// A worker waits on the WaitGroup that counts it (corpus case waitgroup-wait-inside-worker).
func waitInsideWorker(tasks []string) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func(t string) {
			defer wg.Done()
			if t == "" {
				wg.Wait() // want `the goroutine started at line 52 calls wg.Wait\(\) while its own deferred wg.Done\(\) has not run`
			}
		}(t)
	}
	wg.Wait()
}

// Negative: Done on every path (before each return, and at the end).
func doneOnEveryPath(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if u == "" {
				wg.Done()
				return
			}
			use(u)
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// Negative: the early exit panics or ends the program; it does not return.
func exitsDoNotReturn(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if u == "" {
				panic("empty")
			}
			if u == "x" {
				log.Fatal("x")
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// Negative: Done deferred in a closure: not followed (the rule stays silent).
func doneInClosure(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer func() { wg.Done() }()
			if u == "" {
				return
			}
			use(u)
		}(u)
	}
	wg.Wait()
}

// Negative: the goroutine loops until told to stop, and Dones on its only way out.
func loopUntilQuit(quit chan struct{}, work chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for {
			select {
			case <-quit:
				wg.Done()
				return
			case w := <-work:
				use(w)
			}
		}
	}()
	wg.Wait()
}

// Negative: the WaitGroup is handed to a helper, which may Done it.
func handedToHelper(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if u == "" {
				finish(&wg)
				return
			}
			wg.Done()
		}(u)
	}
	wg.Wait()
}

// Negative: a goroutine that waits on a second WaitGroup for its own children.
func twoWaitGroups(groups [][]string) {
	var outer sync.WaitGroup
	for _, g := range groups {
		outer.Add(1)
		go func(g []string) {
			defer outer.Done()
			var inner sync.WaitGroup
			for _, s := range g {
				inner.Add(1)
				go func(s string) {
					defer inner.Done()
					use(s)
				}(s)
			}
			inner.Wait()
		}(g)
	}
	outer.Wait()
}

// Negative: no Wait in this function: nobody blocks here.
func noWaitHere(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			if u == "" {
				return
			}
			wg.Done()
		}(u)
	}
}

func use[T any](T) {}

func finish(wg *sync.WaitGroup) { wg.Done() }

// Negative: Add counts work items; each worker Dones once per item and may end without
// a Done of its own (database/sql's test of concurrent requests).
func workerPoolCountsItems(reqs chan bool, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < 4; i++ {
		go func() {
			for range reqs {
				if len(reqs) > 1 {
					wg.Done()
					continue
				}
				wg.Done()
			}
		}()
	}
	for i := 0; i < n; i++ {
		reqs <- true
	}
	wg.Wait()
}

// The error path after the loop skips the Done (net/rpc's benchmark shape).
func errorInsideRangeThenDone(res chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for v := range res {
			if v < 0 {
				return // want `returns at line 215 without calling wg.Done\(\)`
			}
		}
		wg.Done()
	}()
	wg.Wait()
}

// Add(len(items)) up front, but filtered items start no goroutine (corpus case
// waitgroup-add-count-mismatch).
func addLenThenSkip(items []int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	wg.Add(len(items)) // want `wg.Add\(len\(items\)\) counts every element of items, but an iteration of the loop at line 230 can skip the go statement at line 234 \(continue or break\) without calling wg.Done\(\)`
	for _, it := range items {
		if it < 0 {
			continue
		}
		go func(it int) {
			defer wg.Done()
			mu.Lock()
			total += it
			mu.Unlock()
		}(it)
	}
	wg.Wait()
	return total
}

// A break leaves the rest of the counted elements without goroutines.
func addLenThenBreak(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items)) // want `can skip the go statement`
	for i, it := range items {
		if i > 10 {
			break
		}
		go func(it int) {
			defer wg.Done()
			use(it)
		}(it)
	}
	wg.Wait()
}

// Negative: the skipping path calls Done itself.
func addLenDoneOnSkip(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it < 0 {
			wg.Done()
			continue
		}
		go func(it int) {
			defer wg.Done()
			use(it)
		}(it)
	}
	wg.Wait()
}

// Negative: every element starts a goroutine; the filter is inside it.
func addLenFilterInside(items []int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func(it int) {
			defer wg.Done()
			if it < 0 {
				return
			}
			use(it)
		}(it)
	}
	wg.Wait()
}

// Negative: Add counts another collection than the one ranged over.
func addLenOther(items, others []int) {
	var wg sync.WaitGroup
	wg.Add(len(others))
	for _, it := range items {
		if it < 0 {
			continue
		}
		go func(it int) {
			defer wg.Done()
			use(it)
		}(it)
	}
	wg.Wait()
}

// Wait before draining an unbuffered results channel (corpus case wait-before-draining-results).
func waitBeforeDrain(files []string) []string {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			results <- "hash(" + f + ")"
		}(f)
	}
	wg.Wait() // want `wg.Wait\(\) at line 321 waits for goroutines that send on unbuffered "results" \(line 318\), but "results" is received only after Wait returns \(line 324\)`
	close(results)
	var out []string
	for r := range results {
		out = append(out, r)
	}
	return out
}

// The same with Go 1.25 WaitGroup.Go (corpus case waitgroup-go-unbuffered-results).
func waitGoBeforeDrain(paths []string) []string {
	var wg sync.WaitGroup
	found := make(chan string)
	for _, p := range paths {
		wg.Go(func() {
			if len(p) > 3 {
				found <- p
			}
		})
	}
	wg.Wait() // want `waits for goroutines that send on unbuffered "found"`
	close(found)
	var out []string
	for p := range found {
		out = append(out, p)
	}
	return out
}

// Negative: the Wait runs in its own goroutine, which closes the channel; the function drains it.
func waitInGoroutine(files []string) []string {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			results <- f
		}(f)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []string
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Negative: a buffer for every send.
func bufferedForAll(files []string) []string {
	results := make(chan string, len(files))
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			results <- f
		}(f)
	}
	wg.Wait()
	close(results)
	var out []string
	for r := range results {
		out = append(out, r)
	}
	return out
}

// Negative: a receiver goroutine drains while the function waits.
func receiverRunsDuringWait(files []string) {
	results := make(chan string)
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() {
		for r := range results {
			use(r)
		}
		close(done)
	}()
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			results <- f
		}(f)
	}
	wg.Wait()
	close(results)
	<-done
}

// Negative: the sends give up when the context ends (a select with another case).
func sendsInSelect(ctx interface{ Done() <-chan struct{} }, files []string) {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			select {
			case results <- f:
			case <-ctx.Done():
			}
		}(f)
	}
	wg.Wait()
	close(results)
	for r := range results {
		use(r)
	}
}

// Negative: each goroutine calls Done before it sends, so Wait returns and the function
// then receives every value (runtime's lock benchmark does this).
func doneThenSend(n int) (sum int) {
	vals := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			wg.Done()
			vals <- i
		}(i)
	}
	wg.Wait()
	for range n {
		sum += <-vals
	}
	return sum
}
