// Fixtures for lost-cancel taken from the seed article (shared/seed, chapter
// 2). Both of the seed's context examples are correct uses and must stay
// silent; the positives below are the same code with the mistake a hurried
// edit typically introduces.
package a

import (
	"context"
	"fmt"
	"time"
)

func longRunningTask() int {
	time.Sleep(10 * time.Millisecond)
	return 42
}

func worker(ctx context.Context, id int) {
	<-ctx.Done()
	fmt.Println("worker", id, "stopped")
}

// seedTimeoutSelect (negative): seed §2.3 "超时控制的典型场景", verbatim
// apart from the enclosing func and the `done` parameter that the snippet
// leaves undeclared. `defer cancel()` right after WithTimeout.
func seedTimeoutSelect(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	go func() {
		result := longRunningTask()
		fmt.Println("结果:", result)
	}()
	select {
	case <-done:
		fmt.Println("任务完成")
	case <-ctx.Done():
		fmt.Println("任务被取消:", ctx.Err())
	}
}

// seedCancelWorkers (negative): seed §2.5 "回收机制:优雅关闭", verbatim
// inside a function. cancel() is called once after the loop on the only path.
func seedCancelWorkers() {
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 5; i++ {
		go worker(ctx, i)
	}
	cancel() // 触发所有worker退出
}

// seedTimeoutNoDefer: seed §2.3 with `defer cancel()` replaced by a cancel at
// the end and an early return added on the done path: the done path leaks
// the timer until it fires.
func seedTimeoutNoDefer(done chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second) // want "not called on every path"
	go func() {
		result := longRunningTask()
		fmt.Println("结果:", result)
	}()
	select {
	case <-done:
		fmt.Println("任务完成")
		return // leakscope-vs-vet: differs: vet's secondary "this return statement may be reached" diagnostic; leakscope reports only the definition line
	case <-ctx.Done():
		fmt.Println("任务被取消:", ctx.Err())
	}
	cancel()
}

// seedCancelWorkersDiscarded: seed §2.5 with the cancel func discarded: the
// five workers can never be told to stop.
func seedCancelWorkersDiscarded() {
	ctx, _ := context.WithCancel(context.Background()) // want "cancel function .* discarded"
	for i := 0; i < 5; i++ {
		go worker(ctx, i)
	}
}
