// Command pools is a service with idle worker pools, as every real service has:
// 20 workers ranging over the jobs channel of a Pool whose Submit the /work handler
// calls, and 6 workers in a for-select loop over the jobs and quit channels of a
// Batcher. /burst?n= starts n short-lived goroutines. With -leak, the pool has 8
// workers and /leak?n= makes n lookups that time out and leave their result sender
// blocked forever: the only real leak. Marked lines: POOL:<name>, LEAK:<name>.
// It prints port=N once it listens on 127.0.0.1.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// Pool runs submitted functions on a fixed set of workers.
type Pool struct {
	jobs chan func()
	done atomic.Int64
}

// NewPool starts n workers.
func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		go p.worker()
	}
	return p
}

func (p *Pool) worker() {
	for job := range p.jobs { // POOL:range-worker
		job()
		p.done.Add(1)
	}
}

// Submit hands f to an idle worker.
func (p *Pool) Submit(f func()) { p.jobs <- f }

// Close stops the workers.
func (p *Pool) Close() { close(p.jobs) }

// Batcher collects items on workers that stop when quit is closed.
type Batcher struct {
	items chan int
	quit  chan struct{}
	sum   atomic.Int64
}

// NewBatcher starts n workers.
func NewBatcher(n int) *Batcher {
	b := &Batcher{items: make(chan int), quit: make(chan struct{})}
	for i := 0; i < n; i++ {
		go b.loop()
	}
	return b
}

func (b *Batcher) loop() {
	for {
		select { // POOL:select-worker
		case v := <-b.items:
			b.sum.Add(int64(v))
		case <-b.quit:
			return
		}
	}
}

// Add hands an item to a worker.
func (b *Batcher) Add(v int) { b.items <- v }

// Stop stops the workers.
func (b *Batcher) Stop() { close(b.quit) }

// lookup returns the answer of a slow backend, or -1 after a timeout; the backend
// goroutine then has nobody to send its answer to.
func lookup(timeout time.Duration) int {
	ch := make(chan int)
	go func() {
		time.Sleep(5 * time.Millisecond)
		ch <- 42 // LEAK:abandoned-result
	}()
	select {
	case v := <-ch:
		return v
	case <-time.After(timeout):
		return -1
	}
}

func main() {
	leak := flag.Bool("leak", false, "smaller pool and the /leak endpoint")
	flag.Parse()
	size := 20
	if *leak {
		size = 8
	}
	pool := NewPool(size)
	batcher := NewBatcher(6)
	http.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		pool.Submit(func() { close(done) })
		<-done
		batcher.Add(1)
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/burst", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		for i := 0; i < n; i++ {
			go func() { time.Sleep(3 * time.Second) }() // POOL:burst
		}
		fmt.Fprintln(w, "ok")
	})
	if *leak {
		http.HandleFunc("/leak", func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			for i := 0; i < n; i++ {
				lookup(time.Millisecond)
			}
			time.Sleep(20 * time.Millisecond)
			fmt.Fprintln(w, "ok")
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("port=%d\n", ln.Addr().(*net.TCPAddr).Port)
	if err := http.Serve(ln, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
