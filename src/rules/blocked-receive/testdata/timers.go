// Timers drained after a failed Stop while another receive takes their value (corpus
// case debouncer-timer-drained-twice).
package a

import "time"

type debouncer struct {
	delay time.Duration
	timer *time.Timer
	fired int
}

func newDebouncer(d time.Duration) *debouncer {
	db := &debouncer{delay: d, timer: time.NewTimer(d)}
	db.timer.Stop()
	return db
}

func (d *debouncer) trigger() {
	if !d.timer.Stop() {
		<-d.timer.C // want "the drain \"<-d.timer.C\" after Stop returned false can block forever: the timer's value is also received at line 31 \\(in debouncer.run\\)"
	}
	d.timer.Reset(d.delay)
}

func (d *debouncer) run(events <-chan string) {
	for {
		select {
		case <-events:
			d.trigger()
		case <-d.timer.C:
			d.fired++
		}
	}
}

// The drain does not block: a select with default (negative).
type debouncer2 struct {
	delay time.Duration
	timer *time.Timer
}

func (d *debouncer2) trigger() {
	if !d.timer.Stop() {
		select {
		case <-d.timer.C:
		default:
		}
	}
	d.timer.Reset(d.delay)
}

func (d *debouncer2) run(events <-chan string) {
	for {
		select {
		case <-events:
			d.trigger()
		case <-d.timer.C:
		}
	}
}

// The firing case re-arms the timer, so a failed Stop finds its value in the channel (negative).
type heartbeat struct {
	every time.Duration
	timer *time.Timer
	beats int
}

func (h *heartbeat) run(events <-chan string) {
	for {
		select {
		case <-events:
			if !h.timer.Stop() {
				<-h.timer.C
			}
			h.timer.Reset(h.every)
		case <-h.timer.C:
			h.beats++
			h.timer.Reset(h.every)
		}
	}
}

// The drain is the only receive of the timer (negative).
func waitQuiet(events <-chan string, d time.Duration) {
	t := time.NewTimer(d)
	go func() {
		for range events {
			if !t.Stop() {
				<-t.C
			}
			t.Reset(d)
		}
	}()
}
