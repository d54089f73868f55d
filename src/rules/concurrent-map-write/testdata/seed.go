package a

import "sync"

var m = make(map[string]int)

// seedRace wraps the seed article's chapter 4.4 example, verbatim ("非同步写入的典型问题").
func seedRace() {
	go func() { m["a"] = 1 }() // want `map "m" is written at line 9 by the goroutine started at line 9 while the goroutine started at line 10 reads it at line 10`
	go func() { _ = m["a"] }() // 读操作
}

var (
	m2 = make(map[string]int)
	mu sync.RWMutex
)

// seedFixed is the seed's RWMutex version ("推荐同步机制").
func seedFixed() {
	go func() {
		mu.Lock()
		m2["a"] = 1
		mu.Unlock()
	}()
	go func() {
		mu.RLock()
		_ = m2["a"]
		mu.RUnlock()
	}()
}
