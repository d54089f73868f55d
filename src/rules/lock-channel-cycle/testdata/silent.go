package lockchan

import (
	"context"
	"sync"
)

// The lock is released before the reply is awaited.
func unlockThenWait() int {
	var mu sync.Mutex
	reply := make(chan int)
	mu.Lock()
	go func() {
		mu.Lock()
		mu.Unlock()
		reply <- 1
	}()
	mu.Unlock()
	return <-reply
}

// Sending under the lock to a goroutine that never locks.
func receiverWithoutLock() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		<-ch
	}()
	mu.Lock()
	ch <- 1
	mu.Unlock()
}

// Deferred unlock after a wait that does not need the lock.
func deferUnlockWaitFree() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	mu.Lock()
	defer mu.Unlock()
	wg.Wait()
}

// The context is cancelled by the caller path; the goroutine locks after it is done.
func cancelThenLock() {
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		<-ctx.Done()
		mu.Lock()
		mu.Unlock()
		close(done)
	}()
	cancel()
	<-done
}

// A read lock on both sides never conflicts.
func readersOnly() {
	var mu sync.RWMutex
	ch := make(chan int)
	go func() {
		mu.RLock()
		ch <- 1
		mu.RUnlock()
	}()
	<-ch
	mu.RLock()
	mu.RUnlock()
}

// Lock and channel in separate phases, waited with a WaitGroup.
func phases() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total++
			mu.Unlock()
		}()
	}
	wg.Wait()
	mu.Lock()
	_ = total
	mu.Unlock()
}

// A Cond whose waiter rechecks a flag set under the lock.
func condFlag() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ready := false
	go func() {
		mu.Lock()
		ready = true
		mu.Unlock()
		c.Broadcast()
	}()
	mu.Lock()
	for !ready {
		c.Wait()
	}
	mu.Unlock()
}

// Buffered handoff under the lock in a loop.
func bufferedLoop() {
	var mu sync.Mutex
	ch := make(chan int, 3)
	go func() {
		for v := range ch {
			mu.Lock()
			_ = v
			mu.Unlock()
		}
	}()
	mu.Lock()
	for i := 0; i < 3; i++ {
		ch <- i
	}
	mu.Unlock()
	close(ch)
}

// One buffered channel per waiter, kept in a slice: each gets one send, so none fills up
// (the points-to class merges the elements; their buffers are not one buffer).
type pauser struct {
	mu      sync.Mutex
	paused  bool
	waiters []chan bool
}

func (p *pauser) waitUnpause() bool {
	p.mu.Lock()
	if !p.paused {
		p.mu.Unlock()
		return true
	}
	ch := p.waiterLocked()
	p.mu.Unlock()
	return <-ch
}

func (p *pauser) waiterLocked() <-chan bool {
	ch := make(chan bool, 1)
	p.waiters = append(p.waiters, ch)
	return ch
}

func (p *pauser) SetPaused(paused bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = paused
	if paused {
		return
	}
	for _, ch := range p.waiters {
		ch <- true
	}
	p.waiters = nil
}

func (p *pauser) Start() {
	for i := 0; i < 3; i++ {
		go p.waitUnpause()
	}
}
