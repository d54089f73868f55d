package a

import (
	"context"
	"time"
)

// Negative: a single time.After outside any loop.
func once(ch <-chan int) int {
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return -1
	}
}

// Negative: one timer created before the loop and reset.
func reused(events <-chan event) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case e := <-events:
			handle(e)
			if !t.Stop() {
				<-t.C
			}
			t.Reset(time.Minute)
		case <-t.C:
			return
		}
	}
}

// Negative: every other case leaves the loop, so the select runs once.
func firstOf(a, b <-chan int) int {
	for {
		select {
		case v := <-a:
			return v
		case v := <-b:
			return v
		case <-time.After(time.Second):
			return 0
		}
	}
}

// Negative: time.After in a goroutine started in a loop (not in a loop of its own).
func fanOut(items []int, out chan<- int) {
	for _, it := range items {
		go func(it int) {
			select {
			case out <- it:
			case <-time.After(time.Second):
			}
		}(it)
	}
}

// Negative: time.After outside a select (plain receive), a sleep.
func sleepy(n int) {
	for i := 0; i < n; i++ {
		<-time.After(time.Millisecond)
	}
}

// Negative: context deadline instead of a timer.
func withDeadline(ctx context.Context, in <-chan int) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		select {
		case <-in:
		case <-ctx.Done():
			return
		}
	}
}

// Negative: a ticker, created once.
func ticking(in <-chan int) {
	tk := time.NewTicker(time.Second)
	defer tk.Stop()
	for {
		select {
		case <-in:
		case <-tk.C:
			return
		}
	}
}

// Negative: time.After in a select whose other case breaks out of the loop.
func breaks(in <-chan int) {
loop:
	for {
		select {
		case <-in:
			break loop
		case <-time.After(time.Second):
			continue
		}
	}
}

// Negative: a local function named After is not time.After.
type clock struct{}

func (clock) After(d time.Duration) <-chan time.Time { return nil }

func fake(c clock, in <-chan int) {
	for {
		select {
		case <-in:
		case <-c.After(time.Second):
			return
		}
	}
}

// Negative: time.After assigned before the loop.
func deadlineOnce(in <-chan int) {
	timeout := time.After(time.Minute)
	for {
		select {
		case <-in:
		case <-timeout:
			return
		}
	}
}

// Negative: the time.After select is in a func literal called per item, not a loop of it.
func perItem(items []int, out chan<- int) {
	send := func(it int) bool {
		select {
		case out <- it:
			return true
		case <-time.After(time.Second):
			return false
		}
	}
	for _, it := range items {
		send(it)
	}
}
