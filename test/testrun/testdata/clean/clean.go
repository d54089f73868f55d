// Package clean starts goroutines in its tests and always stops them; one
// exits shortly after its test returns (the settle period covers it), and one
// is started by init, before the tests (not the tests' doing).
package clean

import (
	"context"
	"sync"
	"time"
)

var background = make(chan struct{})

func init() {
	go func() { <-background }()
}

// Pool runs n workers until ctx is cancelled.
func Pool(ctx context.Context, n int, jobs <-chan int, out func(int)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case j, ok := <-jobs:
					if !ok {
						return
					}
					out(j)
				}
			}
		}()
	}
	return &wg
}

// Later runs f after d in a goroutine.
func Later(d time.Duration, f func()) {
	go func() {
		time.Sleep(d)
		f()
	}()
}
