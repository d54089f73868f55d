// A close skipped only on a path where the test has already failed: the goroutine that
// closes returns early without delivering the result its starter waits for, and the
// starter's only other way on is a timeout case that fails the test. Each negative has a
// positive twin in which the run passes while the receiver stays blocked.
package a

import (
	"errors"
	"testing"
	"time"
)

func dialStep(n int) error {
	if n < 0 {
		return errors.New("bad step")
	}
	return nil
}

func TestDialTimeoutFails(t *testing.T) {
	end := make(chan error)
	go func() {
		ready := make(chan struct{})
		go func() {
			<-ready
			t.Log("interrupted")
		}()
		if err := dialStep(1); err != nil {
			t.Log(err)
			return
		}
		close(ready)
		end <- dialStep(2)
	}()
	timeout := time.After(10 * time.Second)
	select {
	case err := <-end:
		if err != nil {
			t.Fatal(err)
		}
	case <-timeout:
		t.Fatal("timeout")
	}
}

func TestDialTimeoutErrorfReturns(t *testing.T) {
	done := make(chan struct{})
	go func() {
		ready := make(chan struct{})
		go func() {
			<-ready
		}()
		if err := dialStep(3); err != nil {
			return
		}
		close(ready)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Errorf("timed out")
		return
	}
}

// The timeout case only logs: the test passes with the receiver blocked.
func TestDialTimeoutLogs(t *testing.T) {
	end := make(chan error)
	go func() {
		ready := make(chan struct{})
		go func() {
			<-ready // want "blocks forever receiving from \"?ready"
		}()
		if err := dialStep(4); err != nil {
			return
		}
		close(ready)
		end <- dialStep(5)
	}()
	select {
	case <-end:
	case <-time.After(time.Second):
		t.Log("slow")
	}
}

// The result is delivered before the early return: the starter passes.
func TestDialDeliveredFirst(t *testing.T) {
	end := make(chan error, 1)
	go func() {
		ready := make(chan struct{})
		go func() {
			<-ready // want "blocks forever receiving from \"?ready"
		}()
		if err := dialStep(6); err != nil {
			end <- err
			return
		}
		close(ready)
		end <- nil
	}()
	select {
	case <-end:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

// The starter does not wait on the result: it returns and passes.
func TestDialNotAwaited(t *testing.T) {
	end := make(chan error, 1)
	go func() {
		ready := make(chan struct{})
		go func() {
			<-ready // want "blocks forever receiving from \"?ready"
		}()
		if err := dialStep(7); err != nil {
			return
		}
		close(ready)
		end <- nil
	}()
	if testing.Short() {
		return
	}
	select {
	case <-end:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

// The waiting goroutine is started by a hook the code under test calls (a dialer stored
// in a package variable), so only the closing goroutine's own paths are known.
var dialHook func() func()

func TestHookTimeoutFails(t *testing.T) {
	end := make(chan error)
	go func() {
		release := make(chan struct{})
		dialHook = func() func() {
			go func() {
				<-release
			}()
			return nil
		}
		if err := dialStep(8); err != nil {
			t.Log(err)
			return
		}
		close(release)
		end <- dialStep(9)
	}()
	timeout := time.After(10 * time.Second)
	select {
	case err := <-end:
		if err != nil {
			t.Fatal(err)
		}
	case <-timeout:
		t.Fatal("timeout")
	}
}

// Twin: the starter's timeout only logs, so the run passes with the hook's goroutine blocked.
func TestHookTimeoutLogs(t *testing.T) {
	end := make(chan error)
	go func() {
		release := make(chan struct{})
		dialHook = func() func() {
			go func() {
				<-release // want "waits for a close that can be skipped"
			}()
			return nil
		}
		if err := dialStep(10); err != nil {
			return
		}
		close(release)
		end <- dialStep(11)
	}()
	select {
	case <-end:
	case <-time.After(time.Second):
		t.Log("slow")
	}
}

// A handler registered with a same-package router starts the waiting goroutine; the test
// closes the channel after a step whose failure it reports with t.Error and returns: the
// skipped close is on a failed run (negative).
type miniRouter struct{ handlers []func() }

func (r *miniRouter) handle(h func()) { r.handlers = append(r.handlers, h) }

func (r *miniRouter) serve() {
	for _, h := range r.handlers {
		h()
	}
}

func TestHandlerReleasedAfterStep(t *testing.T) {
	release := make(chan struct{})
	r := &miniRouter{}
	r.handle(func() {
		go func() {
			<-release
			t.Log("released")
		}()
	})
	r.serve()
	if err := dialStep(4); err != nil {
		t.Error(err)
		return
	}
	close(release)
}

// The same with a step whose failure is only logged: the run passes and the goroutine
// stays blocked (positive twin).
func TestHandlerReleasedAfterLoggedStep(t *testing.T) {
	release := make(chan struct{})
	r := &miniRouter{}
	r.handle(func() {
		go func() {
			<-release // want `the receive from "release" waits for a close that can be skipped: only TestHandlerReleasedAfterLoggedStep closes the channel \(line 236\), and it can return at line 234`
			t.Log("released")
		}()
	})
	r.serve()
	if err := dialStep(5); err != nil {
		t.Log(err)
		return
	}
	close(release)
}
