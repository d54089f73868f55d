package clean

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	jobs := make(chan int)
	var n atomic.Int64
	wg := Pool(ctx, 4, jobs, func(int) { n.Add(1) })
	jobs <- 1
	cancel()
	wg.Wait()
}

func TestPoolClose(t *testing.T) {
	t.Parallel()
	jobs := make(chan int, 3)
	wg := Pool(context.Background(), 2, jobs, func(int) {})
	jobs <- 1
	close(jobs)
	wg.Wait()
}

func TestLaterSettles(t *testing.T) {
	Later(50*time.Millisecond, func() {})
}

func TestCleanup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	Pool(ctx, 1, make(chan int), func(int) {})
}
