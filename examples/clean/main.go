// Command clean holds the corrected versions of the other examples. leakscope
// should report nothing here.
package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// status: `defer cancel()` straight after the constructor covers every path.
func status(parent context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return 0, fmt.Errorf("building request for %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// newChecker hands the cancel func to the caller, who owns the context.
func newChecker(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func longRunningTask() int {
	time.Sleep(300 * time.Millisecond)
	return 42
}

// runWithTimeout: the seed's timeout select with a buffered channel: the task
// goroutine can always complete its send, even after the timeout.
func runWithTimeout(d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- longRunningTask()
	}()
	select {
	case r := <-done:
		fmt.Println("结果:", r)
	case <-ctx.Done():
		fmt.Println("任务被取消:", ctx.Err())
	}
}

// firstError: the remaining senders select on a context that is cancelled
// when the collector returns.
func firstError(parent context.Context, jobs []int) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	errc := make(chan error)
	// At most 4 jobs run at once, however long jobs is. The spawner runs beside the
	// collector so a full semaphore never waits on a collector that has not started.
	sem := make(chan struct{}, 4)
	go func() {
		for _, j := range jobs {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func() {
				defer func() { <-sem }()
				var err error
				if j%2 == 0 {
					err = fmt.Errorf("job %d failed", j)
				}
				select {
				case errc <- err:
				case <-ctx.Done():
				}
			}()
		}
	}()
	for range jobs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// resizeAll: Add before `go`, a closer goroutine after Wait, and a receiver
// that ranges until the close.
func resizeAll(widths []int, maxWidth int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8) // bounded: at most 8 resizes in flight
	// The spawner runs beside the receiver below, so a full semaphore never waits on a
	// receiver that has not started.
	go func() {
		for _, w := range widths {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				results <- min(w, maxWidth)
			}()
		}
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

func main() {
	ctx, cancel := newChecker(5 * time.Second)
	defer cancel()
	code, err := status(ctx, "http://127.0.0.1:1/")
	fmt.Println("status:", code, err)
	runWithTimeout(100 * time.Millisecond)
	fmt.Println(firstError(ctx, []int{1, 2, 3}))
	fmt.Println(resizeAll([]int{1024, 640, 4000}, 800))
}
