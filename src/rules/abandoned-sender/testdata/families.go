// Negatives distilled from false-positive families found on the Go standard library
// (see bench/triage/stdlib.md); each shape is legitimate.
package a

import (
	"context"
	"errors"
	"time"
)

// exclusiveSendsBuffered: three sends on exclusive branches, buffer 1: at most one
// send runs, so it never blocks (net/http h2_bundle readPreface shape).
func exclusiveSendsBuffered(q string) error {
	errc := make(chan error, 1)
	go func() {
		if q == "" {
			errc <- errors.New("empty")
		} else if q == "x" {
			errc <- errors.New("x")
		} else {
			errc <- nil
		}
	}()
	select {
	case <-time.After(time.Second):
		return errTimeout
	case err := <-errc:
		return err
	}
}

// countedDownCollector: the loop returns only after counting every worker down
// (internal/fuzz coordinator shape).
func countedDownCollector(ctx context.Context, urls []string) error {
	errC := make(chan error)
	for _, u := range urls {
		go func() {
			errC <- get(ctx, u).err
		}()
	}
	active := len(urls)
	var first error
	for {
		select {
		case err := <-errC:
			if first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		case <-ctx.Done():
			ctx = context.Background()
		}
	}
}

// channelPerIteration: each iteration makes its own channel with room for the
// one send (net/http serve_test retry loop shape).
func channelPerIteration(tries int) error {
	for i := 0; i < tries; i++ {
		errc := make(chan error, 1)
		go func() { errc <- work(i) }()
		select {
		case err := <-errc:
			if err == nil {
				return nil
			}
		case <-time.After(time.Second):
		}
	}
	return errTimeout
}

// rangeOverReceive: `for k := range <-done` receives once per outer iteration,
// and the outer loop runs exactly as often as goroutines were started.
func rangeOverReceive() int {
	const workers = 4
	done := make(chan []int)
	for p := 0; p < workers; p++ {
		go func() {
			done <- []int{p}
		}()
	}
	n := 0
	for p := 0; p < workers; p++ {
		for range <-done {
			n++
		}
	}
	return n
}

// sendThenReturnInLoop: the goroutine's loop sends once and returns, so only one
// value is ever sent (cmd/cgo signal test shape).
func sendThenReturnInLoop(in <-chan int) int {
	out := make(chan int)
	go func() {
		for v := range in {
			if v > 10 {
				out <- v
				return
			}
		}
		out <- -1
	}()
	return <-out
}

// fixedSpawnMatchedReceives: two goroutines started by a constant loop, two receives.
func fixedSpawnMatchedReceives() {
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() {
			_ = work(i)
			done <- true
		}()
	}
	<-done
	<-done
}

func work(i int) error {
	if i < 0 {
		return errors.New("negative")
	}
	return nil
}

// constantOuterLoop: runtime/testdata/testsynctest/main.go:61. The receive is
// in an inner loop of a constant outer loop; neither loop can end without
// having received what the goroutine sends.
func constantOuterLoop() {
	in := make(chan int)
	out := make(chan int)
	defer close(in)
	go func() {
		for v := range in {
			out <- v * 2
		}
	}()
	for range 10 {
		for i := range 100 {
			in <- i
			<-out
		}
	}
}

// deadSelectCase: runtime/race/testdata/chan_test.go:405. The other case of the
// receiving select sends on a channel nothing receives from, so it never fires.
func deadSelectCase() int {
	x := 0
	res := make(chan int)
	never := make(chan int)
	go func() {
		res <- 1
	}()
	select {
	case x = <-res:
	case never <- 1:
	}
	return x
}

// typedConstantLoop: sync/atomic/atomic_test.go:2810. The loop bound starts at a
// converted constant (`int32(0)`); two goroutines, two receives, a buffer of 2.
func typedConstantLoop() {
	c := make(chan bool, 2)
	for p := int32(0); p < 2; p++ {
		go func(p int32) {
			_ = p
			c <- true
		}(p)
	}
	<-c
	<-c
}
