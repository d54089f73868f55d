// Fixtures for time-after-in-loop with no go.mod: the Go version is unknown and, like
// staticcheck SA1015, treated as older than 1.23 (warning).
package a

import (
	"context"
	"fmt"
	"time"
)

type event struct{ id int }

func handle(e event) {}

// Positive: the classic event loop; each event re-arms a fresh 1-minute timer.
func eventLoop(events <-chan event) {
	for {
		select {
		case e := <-events:
			handle(e)
		case <-time.After(time.Minute): // want "time.After\\(time.Minute\\) at line \\d+ creates a new timer on every iteration"
			fmt.Println("idle")
			return
		}
	}
}

// Positive: idle timeout in a range-free loop with a value binding.
func idle(in <-chan []byte) (n int) {
	for {
		select {
		case t := <-time.After(30 * time.Second): // want "stays in memory until it fires"
			fmt.Println("idle since", t)
			return
		case b, more := <-in:
			if more {
				n += len(b)
				continue
			}
			return
		}
	}
}

// Positive: a for loop with a (non-constant) condition.
func pump(ctx context.Context, in <-chan int, out chan<- int, n int) {
	for i := 0; i < n; i++ {
		select {
		case v := <-in:
			out <- v
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Second): // want "creates a new timer on every iteration"
			fmt.Println("slow producer")
		}
	}
}

// Positive: range loop over a slice, send with timeout.
func publish(items []int, out chan<- int) {
	for _, it := range items {
		select {
		case out <- it:
		case <-time.After(time.Second): // want "creates a new timer"
			fmt.Println("dropped", it)
		}
	}
}

// Positive: inside a goroutine's loop.
func watcher(quit <-chan struct{}, ping <-chan struct{}) {
	go func() {
		for {
			select {
			case <-quit:
				return
			case <-ping:
			case <-time.After(10 * time.Second): // want "creates a new timer"
				fmt.Println("no ping")
			}
		}
	}()
}

// Positive: a default case spins the loop.
func poll(work <-chan int) {
	for {
		select {
		case w := <-work:
			_ = w
		case <-time.After(time.Millisecond): // want "creates a new timer"
			return
		default:
		}
	}
}

// Positive: labelled loop with continue in the other case.
func labelled(in <-chan int) {
outer:
	for {
		select {
		case v := <-in:
			if v == 0 {
				continue outer
			}
		case <-time.After(time.Hour): // want "creates a new timer"
			break outer
		}
	}
}

// Negative: a retry backoff. The only other case returns, so each timer fires (and
// is received) before the next one is made: nothing piles up.
func retry(ctx context.Context, try func() error, d time.Duration) error {
	for {
		if err := try(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d * 2):
		}
	}
}

type server struct {
	reqs chan string
	quit chan struct{}
}

// Positive: a method's request loop with a keep-alive timeout case that only logs.
func (s *server) serve() {
	for {
		select {
		case r := <-s.reqs:
			fmt.Println(r)
		case <-s.quit:
			return
		case <-time.After(15 * time.Second): // want "time.After\\(15 \\* time.Second\\) at line \\d+ creates a new timer on every iteration of the loop at line \\d+"
			fmt.Println("keep-alive")
		}
	}
}

// Positive: a range over a channel with a per-item timeout on the send side.
func forward(in <-chan int, out chan<- int) {
	for v := range in {
		select {
		case out <- v:
		case <-time.After(100 * time.Millisecond): // want "creates a new timer"
		}
	}
}
