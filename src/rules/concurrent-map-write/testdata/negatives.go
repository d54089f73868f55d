package a

import (
	"strings"
	"sync"
)

// Guarded by a mutex.
func guarded(words []string) map[string]string {
	var mu sync.Mutex
	out := map[string]string{}
	var wg sync.WaitGroup
	for _, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			out[w] = strings.ToUpper(w)
		}()
	}
	wg.Wait()
	return out
}

// Each goroutine makes and fills its own map.
func ownMaps(parts [][]string) {
	for _, p := range parts {
		go func() {
			local := map[string]int{}
			for _, s := range p {
				local[s]++
			}
			_ = local
		}()
	}
}

// One map per loop iteration.
func perIteration(n int) {
	for i := 0; i < n; i++ {
		m := map[int]int{}
		go func() { m[i] = i }()
	}
}

// A single writer goroutine; the creator reads only after Wait.
func waitThenRead() int {
	m := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		m["x"] = 1
	}()
	wg.Wait()
	return m["x"]
}

// Hand-off over a channel.
func handOff() int {
	m := map[string]int{}
	done := make(chan struct{})
	go func() {
		m["x"] = 1
		close(done)
	}()
	<-done
	return m["x"]
}

// Results sent over a channel, the map written in one goroutine.
func collect(words []string) map[string]int {
	ch := make(chan string)
	for _, w := range words {
		go func() { ch <- w }()
	}
	m := map[string]int{}
	for range words {
		m[<-ch]++
	}
	return m
}

// The creator reads before starting the goroutine only.
func readBefore() {
	m := map[string]int{"a": 1}
	n := m["a"]
	go func() { m["b"] = n }()
}

// The map is passed to the goroutine as a parameter made inside the loop.
func paramCopy(xs []int) {
	for _, x := range xs {
		go func(m map[int]int) { m[x] = x }(map[int]int{})
	}
}

// A sync.Map is safe.
func syncMap(keys []string) {
	var sm sync.Map
	for _, k := range keys {
		go func() { sm.Store(k, true) }()
	}
}

// A semaphore channel orders the writers.
func semaphore(keys []string) {
	sem := make(chan struct{}, 1)
	m := map[string]bool{}
	for _, k := range keys {
		go func() {
			sem <- struct{}{}
			m[k] = true
			<-sem
		}()
	}
}

// Slices are not maps.
func sliceWrites(n int) {
	out := make([]int, n)
	for i := 0; i < n; i++ {
		go func() { out[i] = i }()
	}
}

// Each iteration waits for its goroutine before starting the next: one at a time.
func serialized(keys []string) {
	m := map[string]int{}
	done := make(chan bool)
	for _, k := range keys {
		go func() {
			m[k] = len(k)
			done <- true
		}()
		<-done
	}
}

// Same with a WaitGroup per iteration.
func serializedWG(keys []string) {
	m := map[string]int{}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m[k] = len(k)
		}()
		wg.Wait()
	}
}
