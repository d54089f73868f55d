package a

import "sync"

// From the seed article, chapter 4.1 ("sync.Mutex与死锁引发的协程悬挂问题"), verbatim.
var mu sync.Mutex

func badLock() {
	mu.Lock()
	mu.Lock() // want `mu.Lock\(\) is called while mu is already held \(Lock at line 9`
}

// From the seed article, chapter 4.4 ("推荐同步机制"), verbatim inside a function: the
// correct RWMutex use (writer Lock, reader RLock, in different goroutines). Negative.
func seedRWMutex() {
	var (
		m  = make(map[string]int)
		mu sync.RWMutex
	)
	go func() {
		mu.Lock()
		m["a"] = 1
		mu.Unlock()
	}()
	go func() {
		mu.RLock()
		_ = m["a"]
		mu.RUnlock()
	}()
}
