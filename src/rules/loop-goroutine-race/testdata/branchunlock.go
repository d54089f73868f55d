package a

import "sync"

// The shape of sync's benchmarkCond: the lock is released only on a branch that leaves the
// loop, so the increment after it runs with the lock held.
func rounds(n, waiters int) {
	c := sync.NewCond(&sync.Mutex{})
	id := 0
	for r := 0; r < waiters; r++ {
		go func() {
			for i := 0; i < n; i++ {
				c.L.Lock()
				if id == -1 {
					c.L.Unlock()
					break
				}
				id++
				if id == waiters {
					id = 0
					c.Broadcast()
				} else {
					c.Wait()
				}
				c.L.Unlock()
			}
		}()
	}
}

// The unlock on the branch that goes on does release it: the increment races.
func released(n int) {
	var mu sync.Mutex
	total := 0
	for r := 0; r < n; r++ {
		go func() {
			mu.Lock()
			if n > 0 {
				mu.Unlock()
			}
			total++ // want `"total" is written at line 41 by every goroutine started in the loop`
		}()
	}
}
