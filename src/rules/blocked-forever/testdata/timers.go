package chans

import "time"

// Timers: a timer made once (`t := time.NewTimer(d)`, `to := time.After(d)`) and never
// reset sends one value. A select in a loop that took its case once can never take it
// again: when the other side has left, the select blocks for good.

// The consumer takes two values and leaves; the publisher drops one message on the
// timeout and then waits on the spent timer and a send nobody receives.
func publishReused() int {
	out := make(chan int)
	go func() {
		for i := 0; i < 2; i++ {
			<-out
		}
	}()
	timeout := time.NewTimer(time.Millisecond)
	defer timeout.Stop()
	sent := 0
	for i := 0; i < 5; i++ {
		select { // want `blocks forever in a select on "out" .* already fired`
		case out <- i:
			sent++
		case <-timeout.C:
		}
	}
	return sent
}

// The fixed twin: a new timer for each message. Silent.
func publishFresh() int {
	out := make(chan int)
	go func() {
		for i := 0; i < 2; i++ {
			<-out
		}
	}()
	sent := 0
	for i := 0; i < 5; i++ {
		timeout := time.NewTimer(time.Millisecond)
		select {
		case out <- i:
			sent++
		case <-timeout.C:
		}
		timeout.Stop()
	}
	return sent
}

// Reset re-arms the timer: the model does not follow it and stays silent.
func publishReset() int {
	out := make(chan int)
	go func() {
		for i := 0; i < 2; i++ {
			<-out
		}
	}()
	timeout := time.NewTimer(time.Millisecond)
	sent := 0
	for i := 0; i < 5; i++ {
		select {
		case out <- i:
			sent++
		case <-timeout.C:
			timeout.Reset(time.Millisecond)
		}
	}
	return sent
}

// One deadline for the whole batch (`time.After` made once): after it fires the loop
// keeps going and waits on a receiver that left.
func batchDeadline() {
	out := make(chan int, 1)
	go func() {
		<-out
	}()
	deadline := time.After(time.Second)
	for i := 0; i < 4; i++ {
		select { // want `blocks forever in a select on "out"`
		case out <- i:
		case <-deadline:
		}
	}
}

// The deadline ends the loop: silent.
func batchDeadlineReturns() {
	out := make(chan int, 1)
	go func() {
		<-out
	}()
	deadline := time.After(time.Second)
	for i := 0; i < 4; i++ {
		select {
		case out <- i:
		case <-deadline:
			return
		}
	}
}

// The timer is waited on by a goroutine the model does not run the timer in: silent.
func timerInGoroutine() {
	out := make(chan int)
	t := time.NewTimer(time.Millisecond)
	go func() {
		for i := 0; i < 3; i++ {
			select {
			case out <- i:
			case <-t.C:
			}
		}
	}()
	<-out
}
