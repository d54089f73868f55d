// Fixtures for select-without-exit.
package a

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"
)

type msg struct{ body string }

func process(m msg) {}

// Positive: a consumer goroutine with no way out; once msgs is abandoned it blocks forever.
func startConsumer(msgs chan msg) {
	go func() {
		for { // want "the for/select loop at line \\d+ in the goroutine started at line \\d+ never ends: none of the 1 case"
			select {
			case m := <-msgs:
				process(m)
			}
		}
	}()
}

// Positive: ctx.Done() is there but its case only logs and loops again.
func ignoresCancel(ctx context.Context, in <-chan int) {
	go func() {
		for { // want "never ends"
			select {
			case v := <-in:
				fmt.Println(v)
			case <-ctx.Done():
				log.Println("cancelled, but still looping")
			}
		}
	}()
}

// Positive: the ok check exists but does not leave the loop (go-tools#1450).
func okIgnored(in <-chan int) {
	go func() {
		for { // want "never ends"
			select {
			case v, ok := <-in:
				if !ok {
					fmt.Println("closed")
					continue
				}
				fmt.Println(v)
			}
		}
	}()
}

// Positive: break inside a select case only leaves the select (Go spec, "Break statements").
func breakSelect(quit <-chan struct{}, in <-chan int) {
	go func() {
		for { // want "never ends"
			select {
			case <-quit:
				break
			case v := <-in:
				_ = v
			}
		}
	}()
}

type cache struct {
	mu    sync.Mutex
	items map[string]string
	sets  chan [2]string
}

// Positive: a named method started with go.
func newCache() *cache {
	c := &cache{items: map[string]string{}, sets: make(chan [2]string)}
	go c.loop()
	return c
}

func (c *cache) loop() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for { // want "the for/select loop at line \\d+ in the goroutine started at line \\d+ never ends: none of the 2 case"
		select {
		case kv := <-c.sets:
			c.mu.Lock()
			c.items[kv[0]] = kv[1]
			c.mu.Unlock()
		case <-t.C:
			c.mu.Lock()
			c.items = map[string]string{}
			c.mu.Unlock()
		}
	}
}

// Positive: a worker per job, none of which can end.
func startWorkers(jobs []chan int) {
	for _, j := range jobs {
		go func(j chan int) {
			for { // want "never ends"
				select {
				case v := <-j:
					fmt.Println(v)
				default:
					time.Sleep(time.Millisecond)
				}
			}
		}(j)
	}
}

func watch(events <-chan string, errs <-chan error) {
	for { // want "never ends"
		select {
		case e := <-events:
			fmt.Println(e)
		case err := <-errs:
			fmt.Println(err)
		}
	}
}

// Positive: a named function started with go from a method.
type watcher struct {
	events chan string
	errs   chan error
}

func (w *watcher) Start() {
	go watch(w.events, w.errs)
}

// Positive: a select with a send case and a receive case.
func relay(in <-chan int, out chan<- int) {
	go func() {
		var buf []int
		for { // want "never ends"
			var first int
			var send chan<- int
			if len(buf) > 0 {
				first, send = buf[0], out
			}
			select {
			case v := <-in:
				buf = append(buf, v)
			case send <- first:
				buf = buf[1:]
			}
		}
	}()
}

// Positive: continue in every case.
func continues(a, b <-chan int) {
	go func() {
		for { // want "never ends"
			select {
			case <-a:
				continue
			case <-b:
				continue
			}
		}
	}()
}

// Positive: an inner loop's break only leaves the inner loop.
func innerBreak(ticks <-chan time.Time, in <-chan []int) {
	go func() {
		for { // want "never ends"
			select {
			case <-ticks:
			case xs := <-in:
				for _, x := range xs {
					if x < 0 {
						break
					}
				}
			}
		}
	}()
}

// Positive: a goroutine started inside another goroutine.
func nestedGo(in <-chan int, quit <-chan struct{}) {
	go func() {
		<-quit
		go func() {
			for { // want "never ends"
				select {
				case v := <-in:
					fmt.Println(v)
				}
			}
		}()
	}()
}
