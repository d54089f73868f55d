package a

import (
	"context"
	"net"
	"runtime"
	"sync"

	"golang.org/x/sync/semaphore"
)

// Negative: seed §2.5 "启动控制": a semaphore channel acquired before go (the loop bound
// is a constant here as well).
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

// Negative: semaphore channel over a parameter slice.
func bounded(items []item) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func(it item) {
			defer wg.Done()
			defer func() { <-sem }()
			_ = fetch(it)
		}(it)
	}
	wg.Wait()
}

// Negative: a fixed worker pool.
func pool(jobs <-chan item) {
	var wg sync.WaitGroup
	for i := 0; i < runtime.NumCPU(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				_ = fetch(j)
			}
		}()
	}
	wg.Wait()
}

// Negative: a constant number of workers.
func fourWorkers(jobs <-chan item) {
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs {
				_ = fetch(j)
			}
		}()
	}
}

// Negative: semaphore.Weighted.Acquire before go.
func weighted(ctx context.Context, items []item) error {
	s := semaphore.NewWeighted(8)
	for _, it := range items {
		if err := s.Acquire(ctx, 1); err != nil {
			return err
		}
		go func(it item) {
			defer s.Release(1)
			_ = fetch(it)
		}(it)
	}
	return nil
}

// Negative: a token channel received before go.
func tokens(tok chan struct{}, items []item) {
	for _, it := range items {
		<-tok
		go func(it item) {
			defer func() { tok <- struct{}{} }()
			_ = fetch(it)
		}(it)
	}
}

// Negative: a range over a local, fixed array.
func fixed() {
	hosts := [3]string{"a", "b", "c"}
	for _, h := range hosts {
		go func() { _ = h }()
	}
}

// Negative: batches of goroutines with WaitGroup.Wait per batch.
func batches(items []item) {
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Add(1)
		go func(it item) {
			defer wg.Done()
			_ = fetch(it)
		}(it)
		if i%16 == 15 {
			wg.Wait()
		}
	}
	wg.Wait()
}

// Negative: the loop is over a local slice the function built.
func local() {
	xs := []int{1, 2, 3}
	for _, x := range xs {
		go func() { _ = x }()
	}
}

// Negative: the go statement is not in the loop (one goroutine after the loop).
func after(items []item) {
	n := 0
	for range items {
		n++
	}
	go func() { _ = n }()
}

// Negative: an accept loop that handles each connection synchronously.
func serveSync(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		handle(c)
	}
}

// Negative: range over an integer (Go 1.22).
func rangeInt(n int) {
	for i := range n {
		go func() { _ = i }()
	}
}

// Negative (issue 11, family 8): one goroutine per accepted connection is how Go
// servers work.
func serveConns(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
		}()
	}
}

// Negative (issue 11, family 8): each goroutine acquires a slot of a shared semaphore
// before its work and releases it when done.
func semaphoreInGoroutine(items []item) {
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			_ = fetch(it)
		}()
	}
	wg.Wait()
}

// Negative: a same-package worker that takes a weighted semaphore first.
func weightedInWorker(ctx context.Context, s *semaphore.Weighted, items []item) {
	for _, it := range items {
		go acquireAndFetch(ctx, s, it)
	}
}

func acquireAndFetch(ctx context.Context, s *semaphore.Weighted, it item) {
	if err := s.Acquire(ctx, 1); err != nil {
		return
	}
	defer s.Release(1)
	_ = fetch(it)
}

// Negative: a token channel filled up front; each goroutine takes a token and gives it back.
func tokenInGoroutine(items []item, limit chan struct{}) {
	for _, it := range items {
		go func() {
			<-limit
			defer func() { limit <- struct{}{} }()
			_ = fetch(it)
		}()
	}
}
