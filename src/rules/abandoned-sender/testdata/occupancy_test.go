// Buffer occupancy and send counts: a later goroutine's send into a buffer whose slot an
// earlier receive freed (two rounds on one channel), a sender that stops once the buffer
// is full (a len(ch) guard around every send), and a goroutine started once next to
// goroutines a loop starts later. Each negative has a positive twin.
package a

import (
	"errors"
	"sync"
	"testing"
	"time"
)

func dial(n int) error {
	if n < 0 {
		return errors.New("bad")
	}
	return nil
}

// Two rounds on one buffered channel: the first value is taken (or the test fails)
// before the second goroutine starts, so its single send finds the slot free.
func TestTwoRoundsOneBuffer(t *testing.T) {
	errc := make(chan error, 1)
	go func() {
		errc <- dial(1)
	}()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Fatal("first round timed out")
	}
	go func() {
		errc <- dial(2)
	}()
	t.Log("second round left running")
}

// Without the first receive both values compete for the one slot.
func TestTwoRoundsNoReceive(t *testing.T) {
	errc := make(chan error, 1)
	go func() {
		errc <- dial(3) // want "blocks forever sending on \"?errc"
	}()
	time.Sleep(time.Millisecond)
	go func() {
		errc <- dial(4) // want "blocks forever sending on \"?errc"
	}()
	t.Log("neither round received")
}

const batch = 8

// collectUntilFull: the only sender stops as soon as the buffer holds batch values.
func collectUntilFull(src func() int, stop <-chan struct{}) {
	got := make(chan int, batch)
	go func() {
		for {
			got <- src()
			if len(got) == cap(got) {
				return
			}
		}
	}()
	select {
	case <-got:
	case <-stop:
		return
	}
}

// fillUntilFull checks with a constant before each send.
func fillUntilFull(src func() int, stop <-chan struct{}) {
	got := make(chan int, batch)
	go func() {
		for {
			if len(got) >= batch {
				return
			}
			got <- src()
		}
	}()
	select {
	case <-got:
	case <-stop:
		return
	}
}

// fillPastFull compares with a bound larger than the buffer: the sender blocks.
func fillPastFull(src func() int, stop <-chan struct{}) {
	got := make(chan int, batch)
	go func() {
		for {
			got <- src() // want "blocks forever sending on \"?got"
			if len(got) == 2*batch {
				return
			}
		}
	}()
	select {
	case <-got:
	case <-stop:
		return
	}
}

func ack(i int) error { return dial(i) }

// publishThenAck: the publisher sends once (an error) or signals done; the ack goroutines
// are started only after done, and their error count is bounded by wg and the buffer is
// drained after Wait. The publisher is not the one left over.
func publishThenAck(n int) error {
	errs := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		if err := dial(n); err != nil {
			errs <- err
			return
		}
		close(done)
	}()
	select {
	case <-done:
	case err := <-errs:
		return err
	}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := ack(i); err != nil {
				errs <- err // want "blocks forever sending on \"?errs"
			}
		}(i)
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}
