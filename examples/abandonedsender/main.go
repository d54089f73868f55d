// Command abandonedsender runs a slow task under a 2-second timeout, the way
// the seed article's §2.3 example does, with the task goroutine reporting
// completion on an unbuffered channel (rule abandoned-sender).
//
// When the timeout wins, nobody will ever receive from done, and the task
// goroutine blocks forever on its send. Run it and watch the goroutine count.
package main

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

func longRunningTask() int {
	time.Sleep(3 * time.Second)
	return 42
}

// runWithTimeout is the seed's timeout select with `done` made locally.
func runWithTimeout() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		result := longRunningTask()
		fmt.Println("结果:", result)
		done <- struct{}{}
	}()
	select {
	case <-done:
		fmt.Println("任务完成")
	case <-ctx.Done():
		fmt.Println("任务被取消:", ctx.Err())
	}
}

// firstError fans out one goroutine per job and returns on the first error;
// the remaining goroutines block forever sending their results.
func firstError(jobs []int) error {
	errc := make(chan error)
	for _, j := range jobs {
		go func() {
			time.Sleep(time.Duration(j) * 10 * time.Millisecond)
			var err error
			if j%2 == 0 {
				err = fmt.Errorf("job %d failed", j)
			}
			errc <- err
		}()
	}
	for range jobs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func main() {
	runWithTimeout()
	fmt.Println(firstError([]int{1, 2, 3, 4, 5}))
	time.Sleep(2 * time.Second)
	// Expect 1 (main) + 1 (task) + 3 (jobs 3, 4, 5) blocked goroutines.
	fmt.Println("goroutines still alive:", runtime.NumGoroutine())
}
