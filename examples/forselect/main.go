// Command forselect shows a background worker whose for/select loop has no
// way out: no ctx.Done() case, no quit channel, no return (seed chapter 2.5).
package main

import (
	"fmt"
	"time"
)

type metrics struct {
	events chan string
	counts map[string]int
}

// start launches the aggregator. Nothing can ever stop it: when the metrics
// value is dropped, the goroutine, its map and its channel stay alive.
func (m *metrics) start() {
	go func() {
		for {
			select {
			case e := <-m.events:
				m.counts[e]++
			case <-time.After(time.Second):
				fmt.Println("flush", len(m.counts))
			}
		}
	}()
}

func main() {
	for i := 0; i < 3; i++ {
		m := &metrics{events: make(chan string), counts: map[string]int{}}
		m.start()
		m.events <- "request"
	}
	fmt.Println("three aggregators started, none can be stopped")
}
