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

// Positive: the accept loop.
func serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(conn) // want "one goroutine per connection accepted at line \\d+"
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

// Positive: the semaphore is acquired inside the goroutine: the goroutines themselves
// still pile up, parked on the semaphore.
func semInside(items []item) {
	sem := make(chan struct{}, 8)
	for _, it := range items {
		go func() { // want "starts one goroutine per element"
			sem <- struct{}{}
			defer func() { <-sem }()
			_ = fetch(it)
		}()
	}
}

// Positive: a typed TCP listener.
func serveTCP(ln *net.TCPListener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go handle(c) // want "per connection accepted"
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
