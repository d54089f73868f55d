// Fixtures for unbounded-goroutines.
package a

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
)

type item struct{ url string }

func fetch(it item) error { return nil }

// Positive: one goroutine per element of a caller's slice.
func fetchAll(items []item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(it item) { // want "go statement at line \\d+ starts one goroutine per element of \"items\" \\(from parameter \"items\"\\) in the loop at line \\d+"
			defer wg.Done()
			_ = fetch(it)
		}(it)
	}
	wg.Wait()
}

func handle(c net.Conn) { c.Close() }

// Positive: a goroutine per element of a parameter, the result sent on a channel (no
// slot released: not a semaphore).
func fetchAllResults(items []item, results chan<- error) {
	for _, it := range items {
		go func() { // want "one goroutine per element of \"items\""
			results <- fetch(it)
		}()
	}
}

// Positive: a goroutine per value received from a channel parameter.
func dispatch(jobs <-chan item) {
	for j := range jobs {
		go fetch(j) // want "one goroutine per value received of \"jobs\""
	}
}

// Positive: a goroutine per map entry.
func notifyAll(subs map[string]chan string, msg string) {
	for _, ch := range subs {
		go func(ch chan string) { // want "one goroutine per map entry of \"subs\""
			ch <- msg
		}(ch)
	}
}

type batch struct{ items []item }

// Negative (family "receiver's own collection", net/http Server.onShutdown): a
// receiver's fields are bounded by the type, not by outside input.
func (b *batch) run() {
	for _, it := range b.items {
		go fetch(it)
	}
}

// Positive: an index loop up to len of a parameter.
func indexLoop(urls []string) {
	for i := 0; i < len(urls); i++ {
		go http.Get(urls[i]) // want "element of \"urls\""
	}
}

// Positive: a field of a parameter struct.
func process(req *batch) {
	for _, it := range req.items {
		go func() { _ = fetch(it) }() // want "element of \"req.items\""
	}
}

// Positive: the goroutine takes a slot of a semaphore it made itself: no bound.
func ownSemaphore(items []item) {
	for _, it := range items {
		go func() { // want "one goroutine per element of \"items\""
			sem := make(chan struct{}, 1)
			sem <- struct{}{}
			defer func() { <-sem }()
			_ = fetch(it)
		}()
	}
}

// Positive: nested in a select-driven loop over a channel parameter with ctx.
func consume(ctx context.Context, in <-chan item) {
	for it := range in {
		if ctx.Err() != nil {
			return
		}
		go func(it item) { // want "value received of \"in\""
			fmt.Println(fetch(it))
		}(it)
	}
}

// Positive: an index-only range over a parameter slice, the go statement in an if.
func warmAll(keys []string, warm func(string)) {
	for i := range keys {
		if keys[i] != "" {
			go warm(keys[i]) // want "one goroutine per element of \"keys\" \\(from parameter \"keys\"\\)"
		}
	}
}
