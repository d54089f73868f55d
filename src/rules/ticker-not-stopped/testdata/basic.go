// Fixtures for ticker-not-stopped with no go.mod: the Go version is unknown and, like
// staticcheck SA1015, treated as older than 1.23 (warning).
package a

import (
	"context"
	"fmt"
	"time"
)

func refresh() {}

// Positive: the ticker is never stopped, and the loop returns on ctx.Done().
func refresher(ctx context.Context) {
	t := time.NewTicker(time.Minute) // want "ticker \"t\" from time.NewTicker at line \\d+ is never stopped, and refresher returns \\(the return at line \\d+\\)"
	for {
		select {
		case <-t.C:
			refresh()
		case <-ctx.Done():
			return
		}
	}
}

// Positive: time.Tick in a loop that can end.
func pollUntil(ready func() bool) {
	for range time.Tick(100 * time.Millisecond) { // want "time.Tick at line \\d+ makes a ticker that can never be stopped, and pollUntil returns"
		if ready() {
			return
		}
	}
}

// Positive: time.Tick as a select case in a loop (a new ticker per iteration).
func heartbeat(quit <-chan struct{}) {
	for {
		select {
		case <-time.Tick(time.Second): // want "time.Tick at line \\d+ makes a ticker"
			fmt.Println("beat")
		case <-quit:
			return
		}
	}
}

// Positive: one wait on time.Tick (a one-shot timer written as a ticker).
func waitOnce() {
	<-time.Tick(time.Second) // want "can never be stopped, and waitOnce returns \\(at its end\\)"
	fmt.Println("done")
}

// Positive: a goroutine that ends on ctx.Done() without stopping its ticker.
func startReporter(ctx context.Context) {
	go func() {
		tk := time.NewTicker(10 * time.Second) // want "ticker \"tk\" .* the function literal at line \\d+ returns"
		for {
			select {
			case <-tk.C:
				fmt.Println("report")
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Positive: time.Tick bound to a local that is only received from.
func sample(n int) []time.Time {
	c := time.Tick(time.Millisecond) // want "time.Tick at line \\d+"
	var out []time.Time
	for len(out) < n {
		out = append(out, <-c)
	}
	return out
}

// Positive: NewTicker(d).C ranged over, with a break.
func firstTicks(n int) {
	i := 0
	for range time.NewTicker(time.Second).C { // want "time.NewTicker\\(...\\).C at line \\d+ makes a ticker that can never be stopped"
		i++
		if i == n {
			break
		}
	}
}

// Positive: Reset is not Stop.
func adaptive(ctx context.Context, next func() time.Duration) {
	t := time.NewTicker(time.Second) // want "ticker \"t\" from time.NewTicker"
	for {
		select {
		case <-t.C:
			t.Reset(next())
		case <-ctx.Done():
			return
		}
	}
}

type poller struct{ quit chan struct{} }

// Positive: var declaration in a method.
func (p *poller) run() {
	var t = time.NewTicker(time.Second) // want "ticker \"t\" .* poller.run returns"
	for {
		select {
		case <-t.C:
		case <-p.quit:
			return
		}
	}
}

// Positive: a ticker made per call in a loop, never stopped.
func retries(n int, try func() bool) bool {
	for i := 0; i < n; i++ {
		t := time.NewTicker(time.Duration(i) * time.Second) // want "ticker \"t\" from time.NewTicker"
		<-t.C
		if try() {
			return true
		}
	}
	return false
}

// Positive: the ticker is used by a synchronous closure only.
func closureUse(ctx context.Context) {
	t := time.NewTicker(time.Second) // want "is never stopped"
	wait := func() bool {
		select {
		case <-t.C:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for wait() {
	}
}

// Positive (spot triage raft#0): a new ticker on every iteration, none stopped.
func spam(ctx context.Context, send func()) {
	for {
		t := time.NewTicker(time.Second) // want "ticker \"t\" from time.NewTicker at line \\d+ is created on every iteration of the loop at line \\d+ and never stopped"
		send()
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}
