package lockchan

import "sync"

type item struct{ v int }

// Holds mu while sending on an unbuffered channel whose receiver locks mu first.
func sendUnderLock() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock() // want `locking "mu"`
		v := <-ch // want `receiving from "ch" at line \d+ while holding "mu"`
		mu.Unlock()
		_ = v
	}()
	mu.Lock() // want `locking "mu"`
	ch <- 1 // want `sending on "ch" at line \d+ while holding "mu"`
	mu.Unlock()
}

// Fixed twin: send after unlocking.
func sendAfterUnlock() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock()
		mu.Unlock()
		<-ch
	}()
	mu.Lock()
	mu.Unlock()
	ch <- 1
}

// Waits for the worker while holding the lock the worker needs.
func waitUnderLock() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock() // want `locking "mu"`
		mu.Unlock()
	}()
	mu.Lock()
	wg.Wait() // want `in wg.Wait\(\) at line \d+ while holding "mu"`
	mu.Unlock()
}

// Fixed twin: Wait outside the lock.
func waitOutsideLock() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock()
		mu.Unlock()
	}()
	wg.Wait()
	mu.Lock()
	mu.Unlock()
}

// Receives a reply under a read lock while the replier needs the write lock.
func recvUnderRLock() {
	var mu sync.RWMutex
	reply := make(chan int)
	go func() {
		mu.Lock() // want `locking "mu"`
		mu.Unlock()
		reply <- 1
	}()
	mu.RLock()
	<-reply // want `receiving from "reply" at line \d+ while holding "mu"`
	mu.RUnlock()
}

// Fixed twin: the replier only reads.
func recvUnderRLockReader() {
	var mu sync.RWMutex
	reply := make(chan int)
	go func() {
		mu.RLock()
		mu.RUnlock()
		reply <- 1
	}()
	mu.RLock()
	<-reply
	mu.RUnlock()
}

type server struct {
	mu    sync.Mutex
	items []item
}

func (s *server) add(it item) {
	s.mu.Lock() // want `locking "s.mu"`
	s.items = append(s.items, it)
	s.mu.Unlock()
}

// A method holds its struct's mutex while waiting for a goroutine that calls a locking method.
func (s *server) load(n int) {
	done := make(chan struct{})
	s.mu.Lock()
	defer s.mu.Unlock()
	go func() {
		s.add(item{n}) // the goroutine blocks inside add
		close(done)
	}()
	<-done // want `receiving from "done" at line \d+ while holding "s.mu"`
}

// Fixed twin: wait after the lock is released.
func (s *server) loadFixed(n int) {
	done := make(chan struct{})
	go func() {
		s.add(item{n})
		close(done)
	}()
	<-done
	s.mu.Lock()
	s.mu.Unlock()
}

// Buffered reply: the send completes under the lock.
func bufferedUnderLock() {
	var mu sync.Mutex
	ch := make(chan int, 1)
	go func() {
		mu.Lock()
		mu.Unlock()
		<-ch
	}()
	mu.Lock()
	ch <- 1
	mu.Unlock()
}

// Two locks taken in the same order everywhere, channel outside.
func sameOrder() {
	var a, b sync.Mutex
	ch := make(chan int)
	go func() {
		a.Lock()
		b.Lock()
		b.Unlock()
		a.Unlock()
		ch <- 1
	}()
	<-ch
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
}

// A select with a default never blocks while holding the lock.
func trySendUnderLock() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock()
		mu.Unlock()
		<-ch
	}()
	mu.Lock()
	sent := false
	select {
	case ch <- 1:
		sent = true
	default:
	}
	mu.Unlock()
	if !sent {
		ch <- 2
	}
}

// The lock protects only a counter; the channel work happens outside.
func counterOnly() {
	var mu sync.Mutex
	n := 0
	res := make(chan int)
	go func() {
		mu.Lock()
		n++
		mu.Unlock()
		res <- 1
	}()
	<-res
	mu.Lock()
	n++
	mu.Unlock()
}
