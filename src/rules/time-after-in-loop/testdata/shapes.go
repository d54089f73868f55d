// Fixtures for time-after-in-loop in goroutines a method starts, reading from a source
// behind an interface: one goroutine per subscription, each with an idle timeout.
package a

import (
	"fmt"
	"time"
)

type source interface {
	Events() <-chan string
}

type fanout struct {
	idle time.Duration
	subs []source
}

// start: every event makes a fresh timer, which lives until it fires.
func (f *fanout) start(deliver func(string)) {
	for _, s := range f.subs {
		go func() {
			for {
				select {
				case ev, ok := <-s.Events():
					if !ok {
						return
					}
					deliver(ev)
				case <-time.After(f.idle): // want "time.After\\(f.idle\\) at line \\d+ creates a new timer on every iteration of the loop at line \\d+"
					fmt.Println("idle subscription")
				}
			}
		}()
	}
}

// startTimer (negative): one timer per goroutine, reset after each event.
func (f *fanout) startTimer(deliver func(string)) {
	for _, s := range f.subs {
		go func() {
			t := time.NewTimer(f.idle)
			defer t.Stop()
			for {
				select {
				case ev, ok := <-s.Events():
					if !ok {
						return
					}
					deliver(ev)
					if !t.Stop() {
						<-t.C
					}
					t.Reset(f.idle)
				case <-t.C:
					fmt.Println("idle subscription")
					t.Reset(f.idle)
				}
			}
		}()
	}
}
