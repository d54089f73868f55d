package a

import (
	"fmt"
	"strings"
	"sync"
)

func upperAll(words []string) map[string]string {
	out := make(map[string]string)
	var wg sync.WaitGroup
	for _, w := range words {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[w] = strings.ToUpper(w) // want `map "out" is written at line 16 by every goroutine started in the loop at line 12`
		}()
	}
	wg.Wait()
	return out
}

func counts(lines []string) map[string]int {
	seen := map[string]int{}
	for _, l := range lines {
		go func(s string) {
			seen[s]++ // want `every goroutine started in the loop`
		}(l)
	}
	return seen
}

func deleteAll(cache map[string][]byte, keys []string) {
	for _, k := range keys {
		go func() {
			delete(cache, k) // want `map "cache" is written`
		}()
	}
}

type registry struct {
	items map[int]string
}

func (r *registry) fill(n int) {
	for i := 0; i < n; i++ {
		go func() {
			r.items[i] = fmt.Sprint(i) // want `map "r.items" is written`
		}()
	}
}

func readWhileWriting() int {
	stats := map[string]int{}
	go func() {
		stats["hits"] = 1 // want `while readWhileWriting reads it at line 58`
	}()
	return stats["hits"]
}

func writeBoth() {
	m := map[int]int{}
	go func() {
		m[1] = 1 // want `while writeBoth writes it at line 66`
	}()
	m[2] = 2
	fmt.Println(len(m))
}

func rangeWhileWriting(xs []int) {
	idx := map[int]bool{}
	go func() {
		for _, x := range xs {
			idx[x] = true // want `reads it at line 77`
		}
	}()
	for k := range idx {
		fmt.Println(k)
	}
}

func twoWriters() {
	totals := map[string]int{}
	go func() {
		totals["a"] += 1 // want `the goroutine started at line 87 writes it at line 88`
	}()
	go func() {
		totals["b"] = 2
	}()
}

func unlockedBeforeWrite(keys []string) {
	var mu sync.Mutex
	m := map[string]bool{}
	for _, k := range keys {
		go func() {
			mu.Lock()
			mu.Unlock()
			m[k] = true // want `every goroutine`
		}()
	}
}

var global = map[string]int{}

func globalWriters(n int) {
	for i := 0; i < n; i++ {
		go func() {
			global[fmt.Sprint(i)] = i // want `map "global" is written`
		}()
	}
}
