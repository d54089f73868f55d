package a

import (
	"context"
	"fmt"
	"time"
)

// made: a made channel is not nil.
func made() {
	done := make(chan struct{})
	go func() { done <- struct{}{} }()
	<-done
}

// assignedLater: assigned before use.
func assignedLater(buffered bool) {
	var ch chan int
	if buffered {
		ch = make(chan int, 1)
	} else {
		ch = make(chan int)
	}
	go func() { ch <- 1 }()
	fmt.Println(<-ch)
}

// nilCaseIdiom: a nil channel in a select disables the case on purpose.
func nilCaseIdiom(ctx context.Context, in <-chan int) {
	var out chan int
	var pending []int
	for {
		select {
		case v := <-in:
			pending = append(pending, v)
		case out <- 0:
		case <-ctx.Done():
			return
		}
	}
}

// disableCase: setting a channel to nil disables a case once it is closed.
func disableCase(a, b <-chan int) int {
	sum := 0
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			sum += v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			sum += v
		}
	}
	return sum
}

// delayedTimer: the timer channel is nil until a timer is started.
func delayedTimer(ctx context.Context, kick <-chan struct{}) {
	var timeout <-chan time.Time
	for {
		select {
		case <-kick:
			timeout = time.After(time.Second)
		case <-timeout:
			fmt.Println("fired")
		case <-ctx.Done():
			return
		}
	}
}

// addressTaken: a helper may assign through the pointer.
func addressTaken() {
	var ch chan int
	setup(&ch)
	fmt.Println(<-ch)
}

func setup(p *chan int) { *p = make(chan int, 1); *p <- 1 }

// assignedInClosure: a closure assigns it.
func assignedInClosure() {
	var ch chan string
	init := func() { ch = make(chan string, 1) }
	init()
	ch <- "x"
}

// redeclared: := with another new name re-assigns the existing variable.
func redeclared() error {
	var ch chan int
	ch, err := open()
	if err != nil {
		return err
	}
	<-ch
	return nil
}

func open() (chan int, error) { return make(chan int, 1), nil }

// parameter: a nil parameter is the caller's business.
func parameter(ch chan int) { ch <- 1 }

// guardedSend: a send in a select with other cases.
func guardedSend(ctx context.Context) {
	var notify chan struct{}
	select {
	case notify <- struct{}{}:
	case <-ctx.Done():
	}
}

// lenOnly: len of a nil channel is 0, harmless.
func lenOnly() int {
	var ch chan int
	return len(ch) + cap(ch)
}

// rangeAssigned: assigned by a range clause.
func rangeAssigned(chans []chan int) {
	var ch chan int
	for _, ch = range chans {
	}
	if ch != nil {
		<-ch
	}
}
