package main

import (
	"fmt"
	"time"
)

type Debouncer struct {
	delay   time.Duration
	timer   *time.Timer
	pending string
	flushed []string
}

func NewDebouncer(delay time.Duration) *Debouncer {
	d := &Debouncer{delay: delay, timer: time.NewTimer(delay)}
	d.timer.Stop()
	return d
}

func (d *Debouncer) trigger() {
	if !d.timer.Stop() {
		<-d.timer.C
	}
	d.timer.Reset(d.delay)
}

func (d *Debouncer) Run(events <-chan string) {
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			d.pending = ev
			d.trigger()
		case <-d.timer.C:
			d.flushed = append(d.flushed, d.pending)
		}
	}
}

func main() {
	for i := 0; i < 4; i++ {
		events := make(chan string)
		d := NewDebouncer(5 * time.Millisecond)
		go d.Run(events)
		go func(editor int) {
			events <- fmt.Sprintf("editor-%d: save draft", editor)
			time.Sleep(40 * time.Millisecond)
			events <- fmt.Sprintf("editor-%d: save final", editor)
			close(events)
		}(i)
	}
	select {}
}
