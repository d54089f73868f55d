// Fixtures for loop-goroutine-race: goroutines of one loop writing one shared variable.
package a

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var (
	indexVersion = 3
	bytesIndexed int
)

// indexShard runs once per shard and adds to the package-level total with no lock.
func indexShard(wg *sync.WaitGroup, shard string, docs ...string) {
	for i := len(docs) - 1; i >= 0; i-- {
		if docs[i] != "" {
			bytesIndexed += len(docs[i]) + indexVersion // want `package-level "bytesIndexed" is written at line \d+ by indexShard, which every goroutine started in the loop at line \d+ runs, with no lock and no atomic`
		}
	}
	wg.Done()
}

func indexAll(shards map[string][]string) {
	var wg sync.WaitGroup
	wg.Add(len(shards))
	for name, docs := range shards {
		go indexShard(&wg, name, docs...)
	}
	wg.Wait()
}

// validateAll: the goroutines append to one slice when a record is bad.
func validateAll(records []map[string]string) []error {
	var problems []error
	var wg sync.WaitGroup
	for i, r := range records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r["id"] == "" {
				problems = append(problems, fmt.Errorf("record %d: no id", i)) // want `"problems" is written at line \d+ by every goroutine started in the loop .* appends overwrite each other`
			}
		}()
	}
	wg.Wait()
	return problems
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

// validateLocked (negative): the append is under a mutex, taken after the early return.
func validateLocked(records []map[string]string) []error {
	var problems []error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, r := range records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r["id"] != "" {
				return
			}
			mu.Lock()
			problems = append(problems, fmt.Errorf("record %d: no id", i))
			mu.Unlock()
		}()
	}
	wg.Wait()
	return problems
}

var bytesIndexedAtomic int64

// indexShardAtomic (negative): the total is added atomically.
func indexShardAtomic(docs []string, wg *sync.WaitGroup) {
	defer wg.Done()
	for _, d := range docs {
		atomic.AddInt64(&bytesIndexedAtomic, int64(len(d)))
	}
}

func indexAllAtomic(shards [][]string) {
	var wg sync.WaitGroup
	for s := range shards {
		wg.Add(1)
		go indexShardAtomic(shards[s], &wg)
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
