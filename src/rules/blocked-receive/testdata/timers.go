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

// The firing case re-arms the timer through a method it calls with the timer (negative):
// the reset is in the callee, on a path the analysis cannot rule out.
type delayQueue struct {
	push    chan struct{}
	pending []time.Time
}

func (q *delayQueue) run() {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-q.push:
			q.update(timer)
		case <-timer.C:
			q.pending = q.pending[:0]
			q.schedule(timer)
		}
	}
}

func (q *delayQueue) update(timer *time.Timer) {
	if len(q.pending) > 0 {
		if !timer.Stop() {
			<-timer.C
		}
		timer.Reset(time.Until(q.pending[0]))
	}
}

func (q *delayQueue) schedule(timer *time.Timer) {
	if len(q.pending) == 0 {
		timer.Reset(time.Minute)
	} else if d := time.Until(q.pending[0]); d > 0 {
		timer.Reset(d)
	}
}

// The firing case re-arms the timer through a local closure it calls (negative).
func pacer(events <-chan int, every time.Duration) {
	t := time.NewTimer(every)
	rearm := func() { t.Reset(every) }
	for {
		select {
		case <-events:
			if !t.Stop() {
				<-t.C
			}
			rearm()
		case <-t.C:
			rearm()
		}
	}
}

// The firing case calls a method that does not touch the timer: the drain can still
// find the channel empty (positive twin of delayQueue).
type slowQueue struct {
	push    chan struct{}
	pending []time.Time
}

func (q *slowQueue) run() {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-q.push:
			q.update(timer)
		case <-timer.C:
			q.flush()
		}
	}
}

func (q *slowQueue) update(timer *time.Timer) {
	if !timer.Stop() {
		<-timer.C // want "the drain \"<-timer.C\" after Stop returned false can block forever: the timer's value is also received at line 167 \\(in slowQueue.run\\)"
	}
	timer.Reset(time.Second)
}

func (q *slowQueue) flush() { q.pending = q.pending[:0] }
