// Fixtures for abandoned-sender taken from the seed article (shared/seed).
package a

import (
	"context"
	"fmt"
	"time"
)

func longRunningTask() int {
	time.Sleep(3 * time.Second)
	return 42
}

// seedTimeoutDone: seed §2.3 "超时控制的典型场景". The seed's snippet uses a
// `done` channel that it never declares or sends on; this is the snippet
// completed the way it is meant to be read: `done` is an unbuffered channel
// made here and the task goroutine signals it. When the 2s timeout wins the
// select (and longRunningTask takes 3s), the goroutine blocks forever on
// `done <- struct{}{}`.
func seedTimeoutDone() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		result := longRunningTask()
		fmt.Println("结果:", result)
		done <- struct{}{} // want "blocks forever sending on \"?done"
	}()
	select {
	case <-done:
		fmt.Println("任务完成")
	case <-ctx.Done():
		fmt.Println("任务被取消:", ctx.Err())
	}
}

// seedTimeoutVerbatim (negative): seed §2.3 verbatim (inside a function with
// `done` as a parameter). The goroutine shown sends on nothing and `done` is
// not made here, so this rule has nothing to say.
func seedTimeoutVerbatim(done chan struct{}) {
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

// seedTimeoutResult: seed §2.3 with the result delivered over the channel
// instead of printed (the form the seed's §2.2 "设置超时机制 / time.After()"
// advice leads to): the timeout branch abandons the sender.
func seedTimeoutResult() (int, error) {
	ch := make(chan int)
	go func() {
		ch <- longRunningTask() // want "blocks forever sending on \"?ch"
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(2 * time.Second):
		return 0, fmt.Errorf("timed out")
	}
}

// seedSemaphore (negative): seed §2.5 "启动控制:限制并发数", verbatim inside
// a function. The sends on the semaphore happen in the spawning goroutine on
// a buffered channel and each goroutine releases its slot; no goroutine sends
// here at all.
func seedSemaphore() {
	sem := make(chan struct{}, 10) // 最多10个goroutine并发
	for i := 0; i < 100; i++ {
		sem <- struct{}{} // 获取令牌
		go func(id int) {
			defer func() { <-sem }() // 释放令牌
			// 业务逻辑
		}(i)
	}
}
