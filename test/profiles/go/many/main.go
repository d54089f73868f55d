// Command many parks a large number of goroutines (default 100,000) in a few
// different blocking patterns and builds a heap profile with many distinct
// allocation stacks, then serves net/http/pprof on a loopback port. It feeds
// bench/profiles.ts: debug=2 at 100k goroutines is tens of MB, under the
// runtime's 64 MiB cap because the stacks are kept shallow.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
)

var sink [][]byte

// walk reaches the allocation through a path of w0..w3 calls chosen by the
// base-4 digits of site, so each site gets its own stack (pprof merges
// identical stacks, and a large profile needs many distinct ones).
//
//go:noinline
func walk(site, depth int) {
	if depth == 0 {
		alloc(site)
		return
	}
	switch (site >> (2 * (depth - 1))) & 3 {
	case 0:
		w0(site, depth-1)
	case 1:
		w1(site, depth-1)
	case 2:
		w2(site, depth-1)
	default:
		w3(site, depth-1)
	}
}

//go:noinline
func w0(site, depth int) { walk(site, depth) }

//go:noinline
func w1(site, depth int) { walk(site, depth) }

//go:noinline
func w2(site, depth int) { walk(site, depth) }

//go:noinline
func w3(site, depth int) { walk(site, depth) }

// park is the goroutine counterpart of walk: it blocks at the end of a
// path chosen by id, so debug=1 (which aggregates identical stacks) has one
// record per distinct goroutine.
//
//go:noinline
func park(id, depth int, never chan int) {
	if depth == 0 {
		<-never
		return
	}
	switch (id >> (2 * (depth - 1))) & 3 {
	case 0:
		p0(id, depth-1, never)
	case 1:
		p1(id, depth-1, never)
	case 2:
		p2(id, depth-1, never)
	default:
		p3(id, depth-1, never)
	}
}

//go:noinline
func p0(id, depth int, never chan int) { park(id, depth, never) }

//go:noinline
func p1(id, depth int, never chan int) { park(id, depth, never) }

//go:noinline
func p2(id, depth int, never chan int) { park(id, depth, never) }

//go:noinline
func p3(id, depth int, never chan int) { park(id, depth, never) }

//go:noinline
func alloc(site int) {
	switch site % 4 {
	case 0:
		sink = append(sink, make([]byte, 128))
	case 1:
		sink = append(sink, make([]byte, 512))
	case 2:
		sink = append(sink, make([]byte, 2048))
	default:
		sink = append(sink, make([]byte, 64))
	}
}

//go:noinline
func recvForever(ch chan int) { <-ch }

//go:noinline
func sendForever(ch chan int) { ch <- 1 }

//go:noinline
func selectForever(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

//go:noinline
func lockForever(mu *sync.Mutex) { mu.Lock() }

// handle and serve add realistic depth (a request handler calling helpers)
// so the debug=2 dump is ~40 MB at 100k goroutines, still under 64 MiB.
//
//go:noinline
func handle(i int, never, noReceiver chan int, mu *sync.Mutex) {
	serve(i, never, noReceiver, mu)
}

//go:noinline
func serve(i int, never, noReceiver chan int, mu *sync.Mutex) {
	switch i % 4 {
	case 0:
		recvForever(never)
	case 1:
		sendForever(noReceiver)
	case 2:
		selectForever(never, never)
	default:
		lockForever(mu)
	}
}

func main() {
	n := flag.Int("n", 100000, "goroutines to park")
	sites := flag.Int("sites", 100000, "distinct heap allocation stacks")
	distinct := flag.Int("distinct", 10000, "goroutines (of n) parked at distinct stacks")
	flag.Parse()
	runtime.MemProfileRate = 1
	for i := 0; i < *sites; i++ {
		walk(i, 9)
	}
	var mu sync.Mutex
	mu.Lock()
	// Separate channels: a sender and a receiver on the same channel would
	// pair up and exit.
	never, noReceiver := make(chan int), make(chan int)
	for i := 0; i < *n; i++ {
		if i < *distinct {
			go park(i, 7, never)
			continue
		}
		go handle(i, never, noReceiver, &mu)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("port=%d\n", ln.Addr().(*net.TCPAddr).Port)
	_ = http.Serve(ln, nil)
}
