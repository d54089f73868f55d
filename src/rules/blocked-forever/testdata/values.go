package chans

import (
	"errors"
	"sync"
)

// What the model knows about values: a receiver's test of the value it got follows what
// was sent; a goroutine not started on a configuration the model does not know proves
// nothing.

type server struct {
	HTTPAddr  string
	HTTPSAddr string
}

func (s *server) listen(addr string) error { return errors.New(addr) }

// Blocks only when both addresses are empty: a configuration, not a schedule. Silent.
func (s *server) Run() error {
	errc := make(chan error, 1)
	if s.HTTPAddr != "" {
		go func() { errc <- s.listen(s.HTTPAddr) }()
	}
	if s.HTTPSAddr != "" {
		go func() { errc <- s.listen(s.HTTPSAddr) }()
	}
	return <-errc
}

func handshake() error { return nil }

// The goroutine sends the err it then tests; the receiver tests the same value, so it
// never sees nil where the goroutine saw an error. Silent.
func correlated() error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		err := handshake()
		errs <- err
		if err != nil {
			return
		}
		done <- struct{}{}
	}()
	if err := <-errs; err != nil {
		return err
	}
	<-done
	return nil
}

// The goroutine sends a constructed error or nil; the receiver returns on the error while
// the goroutine still has a value to send.
func twoResults(fail bool) error {
	res := make(chan error)
	go func() {
		if fail {
			res <- errors.New("first")
		} else {
			res <- nil
		}
		res <- nil // want `blocks forever sending on "res"`
	}()
	if err := <-res; err != nil {
		return err
	}
	return <-res
}

// A method that hands each update to a callback only once it has joined the feed: whether
// joining works depends on the feed's state, which the model does not know, so the branch
// that returns without ever running the callback proves nothing about the caller waiting
// for it. Silent.
type feed struct {
	mu   sync.Mutex
	open bool
	subs map[chan int]bool
}

func (f *feed) join() chan int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.open {
		return nil
	}
	c := make(chan int, 1)
	f.subs[c] = true
	c <- 0
	return c
}

func (f *feed) watch(cb func(int)) {
	c := f.join()
	if c == nil {
		return
	}
	for v := range c {
		cb(v)
	}
}

func firstUpdate(f *feed) int {
	got := make(chan int, 1)
	go func() {
		f.watch(func(v int) { got <- v })
	}()
	return <-got
}
