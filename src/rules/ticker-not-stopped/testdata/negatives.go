package a

import (
	"context"
	"time"
)

// Negative: defer t.Stop().
func stopped(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// Negative: Stop on the exit path (not deferred).
func stoppedOnExit(ctx context.Context) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}

// Negative: the ticker is returned to the caller, who owns it.
func newTicker(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

type svc struct{ t *time.Ticker }

// Negative: stored in a field; Close stops it.
func (s *svc) start() {
	s.t = time.NewTicker(time.Second)
}

func (s *svc) Close() { s.t.Stop() }

func consume(t *time.Ticker) { defer t.Stop() }

// Negative: passed on to a function that stops it.
func handOver() {
	t := time.NewTicker(time.Second)
	consume(t)
}

// Negative: time.Tick in a loop that never ends (a process-lifetime ticker).
func forever() {
	for range time.Tick(time.Minute) {
		refresh()
	}
}

// Negative: a NewTicker loop that never returns.
func foreverTicker() {
	t := time.NewTicker(time.Minute)
	for range t.C {
		refresh()
	}
}

// Negative: stopped from a goroutine when done is closed.
func stopLater(done <-chan struct{}) <-chan time.Time {
	t := time.NewTicker(time.Second)
	go func() {
		<-done
		t.Stop()
	}()
	return t.C
}

// Negative: time.Tick handed to the caller.
func every(d time.Duration) <-chan time.Time {
	return time.Tick(d)
}

// Negative: a select loop on time.Tick channel that never ends.
func foreverSelect(in <-chan int) {
	tick := time.Tick(time.Second)
	for {
		select {
		case <-tick:
			refresh()
		case <-in:
		}
	}
}

type fakeClock struct{}

func (fakeClock) Tick(d time.Duration) <-chan time.Time { return nil }

// Negative: not the time package's Tick.
func fakeTick(c fakeClock) {
	<-c.Tick(time.Second)
}

// Negative: a one-shot timer (time.NewTimer) is a different matter.
func timerOnce() {
	t := time.NewTimer(time.Second)
	<-t.C
}

// Negative: package-level ticker variable.
var globalTicker = time.NewTicker(time.Hour)

func useGlobal() { <-globalTicker.C }
