// Package leaky holds one goroutine leak per pattern of the seed article
// (/work/shared/seed/000_a1597b76bec8baca.txt). Each blocking line carries a
// "site:" comment that the tests use to find the expected line.
package leaky

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// leakyGoroutine is the seed's first example, verbatim (chapter 1): a receive
// with no sender.
func leakyGoroutine() {
	ch := make(chan int)
	go func() {
		val := <-ch // site: recv-no-sender
		fmt.Println("Received:", val)
	}()
	// ch 未关闭,goroutine 无法退出
}

// fetch gives up after d, abandoning the sender (seed chapter 2.3, select with
// ctx.Done()/timeout while the worker sends on an unbuffered channel).
func fetch(d time.Duration) (int, error) {
	ch := make(chan int)
	go func() {
		time.Sleep(20 * time.Millisecond)
		ch <- 42 // site: abandoned-sender
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(d):
		return 0, errors.New("timeout")
	}
}

// consume ranges over a channel nobody closes (seed chapter 3.1).
func consume(process func(int)) chan<- int {
	ch := make(chan int)
	go func() {
		for val := range ch { // site: range-never-closed
			process(val)
		}
	}()
	return ch
}

// poll is a for-select loop without an exit case.
func poll(events <-chan string, out func(string)) {
	tick := time.NewTicker(time.Hour)
	go func() {
		for {
			select { // site: for-select-no-exit
			case e := <-events:
				out(e)
			case <-tick.C:
				out("tick")
			}
		}
	}()
}

// Cache.Get returns early without unlocking (seed chapter 4.1: the lock is
// never released, so the next Lock blocks forever).
type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

// Get returns the cached value.
func (c *Cache) Get(k string) int {
	c.mu.Lock() // site: mutex-held-forever
	if v, ok := c.m[k]; ok {
		return v
	}
	c.mu.Unlock()
	return 0
}

// runAll waits for jobs but one path forgets Done (seed chapter 4.2).
func runAll(jobs []func() error, done func()) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			if err := j(); err != nil {
				return
			}
			wg.Done()
		}()
	}
	go func() {
		wg.Wait() // site: waitgroup-forever
		done()
	}()
}
