package chans

import (
	"context"
	"errors"
	"sync"
	"time"
)

func work() (int, error) { return 1, nil }

// The result channel is unbuffered: when the timer fires first, the sender leaks.
func timeoutLeak() int {
	ch := make(chan int)
	go func() {
		v, _ := work()
		ch <- v // want `blocks forever sending on "ch"`
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// Fixed twin: a buffer of one lets the sender finish.
func timeoutFixed() int {
	ch := make(chan int, 1)
	go func() {
		v, _ := work()
		ch <- v
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// The receiver stops at the first error while other senders remain.
func firstError(n int) error {
	errc := make(chan error)
	for i := 0; i < 3; i++ {
		go func() {
			_, err := work()
			errc <- err // want `blocks forever sending on "errc"`
		}()
	}
	for i := 0; i < 3; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Fixed twin: the buffer holds every result.
func firstErrorFixed() error {
	errc := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func() {
			_, err := work()
			errc <- err
		}()
	}
	for i := 0; i < 3; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Nobody closes jobs: the worker's range never ends.
func rangeNoClose(items []int) {
	jobs := make(chan int)
	go func() {
		for j := range jobs { // want `blocks forever receiving from "jobs"`
			_ = j
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// Fixed twin: close after the last send.
func rangeClosed(items []int) {
	jobs := make(chan int)
	go func() {
		for j := range jobs {
			_ = j
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
}

// An early return on error skips the receive.
func earlyReturn() error {
	done := make(chan struct{})
	go func() {
		done <- struct{}{} // want `blocks forever sending on "done"`
	}()
	if _, err := work(); err != nil {
		return err
	}
	<-done
	return nil
}

// Fixed twin: the receive happens on every path.
func earlyReturnFixed() error {
	done := make(chan struct{})
	go func() {
		done <- struct{}{}
	}()
	_, err := work()
	<-done
	return err
}

// WaitGroup: Done is skipped on the error path, so Wait blocks.
func wgSkip() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if _, err := work(); err != nil {
			return
		}
		wg.Done()
	}()
	wg.Wait() // want `blocks forever in wg.Wait\(\)`
}

// Fixed twin: defer Done.
func wgDefer() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := work(); err != nil {
			return
		}
	}()
	wg.Wait()
}

// Wait before draining: the senders never reach Done.
func waitBeforeDrain() {
	var wg sync.WaitGroup
	out := make(chan int)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- 1 // want `blocks forever sending on "out"`
		}()
	}
	wg.Wait() // want `every other goroutine is blocked too`
	close(out)
	for range out {
	}
}

// Fixed twin: close after Wait in its own goroutine and drain here.
func waitThenDrain() {
	var wg sync.WaitGroup
	out := make(chan int)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- 1
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	for range out {
	}
}

// A signal sent before the waiter waits is lost.
func lostSignal() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		c.Signal()
	}()
	mu.Lock()
	c.Wait() // want `blocks forever in c.Wait\(\) for a signal`
	mu.Unlock()
}

// Fixed twin: a condition checked in a loop under the lock.
func condLoop() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ready := false
	go func() {
		mu.Lock()
		ready = true
		c.Signal()
		mu.Unlock()
	}()
	mu.Lock()
	for !ready {
		c.Wait()
	}
	mu.Unlock()
}

// The goroutine waits for a cancel that never comes.
func ctxNeverCancelled() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel
	go func() {
		<-ctx.Done() // want `waiting for "ctx" to be cancelled`
	}()
}

// Fixed twin: cancel on return.
func ctxCancelled() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-ctx.Done()
	}()
}

// Once.Do re-entered from its own function.
func onceReentry() {
	var once sync.Once
	once.Do(func() {
		once.Do(func() {}) // want `blocks forever in once.Do`
	})
}

// Fixed twin: one Do.
func onceOnce() {
	var once sync.Once
	once.Do(func() {})
	once.Do(func() {})
}

// A select with a done case: no leak.
func selectDone() int {
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		select {
		case ch <- 1:
		case <-done:
		}
	}()
	defer close(done)
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

// A channel that escapes to another package is not modelled.
func escapes(f func(chan int)) {
	ch := make(chan int)
	f(ch)
	<-ch
}

// Results drained by count: every sender meets a receiver.
func drained(items []int) int {
	res := make(chan int)
	for _, it := range items {
		go func() { res <- it }()
	}
	sum := 0
	for range items {
		sum += <-res
	}
	return sum
}

var errX = errors.New("x")

// A flag tested twice gives the same answer both times.
func sameFlag(verbose bool) {
	ch := make(chan int)
	if verbose {
		go func() { ch <- 1 }()
	}
	if verbose {
		<-ch
	}
}

// The consumer tests the ok of each receive: "ok" is what the receive got (a value while
// the feeder runs, false once it closed), not a guess. After one item is acknowledged the
// stop comes, the consumer leaves, and the feeder's second send finds nobody.
func pump() {
	in := make(chan int)
	acks := make(chan int)
	stop := make(chan struct{})
	go func() {
		for i := 0; i < 2; i++ {
			in <- i // want `blocks forever sending on "in"`
		}
		close(in)
	}()
	go func() {
		for {
			select {
			case <-stop:
				return
			case v, ok := <-in:
				if !ok {
					return
				}
				select {
				case acks <- v:
				case <-stop:
					return
				}
			}
		}
	}()
	<-acks
	close(stop)
}

// The feeder watches the stop too. Silent.
func pumpStoppable() {
	in := make(chan int)
	acks := make(chan int)
	stop := make(chan struct{})
	go func() {
		defer close(in)
		for i := 0; i < 2; i++ {
			select {
			case in <- i:
			case <-stop:
				return
			}
		}
	}()
	go func() {
		for {
			select {
			case <-stop:
				return
			case v, ok := <-in:
				if !ok {
					return
				}
				select {
				case acks <- v:
				case <-stop:
					return
				}
			}
		}
	}()
	<-acks
	close(stop)
}
