// Command leaky is a test subject for leakscope's profile readers: it leaks
// goroutines in each way chapter 2.4 of the seed describes, keeps a few
// healthy long-lived goroutines as controls, and serves net/http/pprof on a
// loopback port chosen by the kernel. Each leaking statement carries a
// "LEAK:<name>" marker and each control a "HEALTHY:<name>" marker so the
// tests can find the expected file:line without hard-coding numbers.
//
// GET /drive?n=N runs N more rounds of every leak (one goroutine per leak
// kind per round) and returns when they have all had time to block.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// cache is the "global map that only grows": every request adds an entry
// and nothing ever deletes one.
var (
	cacheMu sync.Mutex
	cache   = map[int][]byte{}
)

func grow(i int) {
	cacheMu.Lock()
	cache[len(cache)] = make([]byte, 64<<10) // LEAK:heap-map
	cacheMu.Unlock()
	_ = i
}

// abandonedSender: the caller gives up after a timeout, so the unbuffered
// send has no receiver left.
func abandonedSender() {
	ch := make(chan int)
	go func() {
		time.Sleep(5 * time.Millisecond)
		ch <- 42 // LEAK:abandoned-sender
	}()
	select {
	case v := <-ch:
		_ = v
	case <-time.After(time.Millisecond):
	}
}

// receiveNoSender: nobody ever sends on ch.
func receiveNoSender() {
	ch := make(chan string)
	go func() {
		s := <-ch // LEAK:receive-no-sender
		_ = s
	}()
}

// rangeNeverClosed: the producer forgets to close the channel.
func rangeNeverClosed() {
	ch := make(chan int, 3)
	go func() {
		for v := range ch { // LEAK:range-never-closed
			_ = v
		}
	}()
	ch <- 1
	ch <- 2
}

// forSelectNoExit: a loop with no return path and no live producers.
func forSelectNoExit() {
	a, b := make(chan int), make(chan int)
	go func() {
		for {
			select { // LEAK:for-select
			case <-a:
			case <-b:
			}
		}
	}()
}

// doubleLock: locks a mutex it already holds.
func doubleLock() {
	var mu sync.Mutex
	go func() {
		mu.Lock()
		mu.Lock() // LEAK:double-lock
		mu.Unlock()
	}()
}

// waitGroupForever: Add(2) but only one Done.
func waitGroupForever() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { wg.Done() }()
	go func() {
		wg.Wait() // LEAK:waitgroup
	}()
}

// nilChannel: receives from a channel that was never made.
func nilChannel() {
	var ch chan int
	go func() {
		<-ch // LEAK:nil-chan
	}()
}

// selectNoCases: a goroutine parked with select {}.
func selectNoCases() {
	go func() {
		select {} // LEAK:select-no-cases
	}()
}

// worker is the healthy control: one goroutine in a select that includes a
// quit channel.
func worker(ctx context.Context, jobs <-chan int) {
	for {
		select { // HEALTHY:worker
		case j := <-jobs:
			_ = j
		case <-ctx.Done():
			return
		}
	}
}

func round() {
	abandonedSender()
	receiveNoSender()
	rangeNeverClosed()
	forSelectNoExit()
	doubleLock()
	waitGroupForever()
	nilChannel()
	selectNoCases()
}

func main() {
	if os.Getenv("LEAKY_MEMPROFILERATE") != "" {
		runtime.MemProfileRate = 1
	}
	rounds := 0
	if len(os.Args) > 1 {
		rounds, _ = strconv.Atoi(os.Args[1])
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobs := make(chan int)
	go pprof.Do(ctx, pprof.Labels("role", "worker"), func(ctx context.Context) {
		worker(ctx, jobs)
	})

	// Healthy control: a signal handler goroutine (os/signal starts its own
	// signal.loop goroutine too).
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGUSR1)
	go func() {
		for range sigs { // HEALTHY:signal-consumer
		}
	}()

	var mu sync.Mutex // serializes /drive so snapshots are deterministic
	http.HandleFunc("/drive", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if n <= 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			round()
			grow(i)
		}
		// Let the abandoned senders wake from their sleep and block.
		time.Sleep(50 * time.Millisecond)
		fmt.Fprintln(w, "ok")
	})
	for i := 0; i < rounds; i++ {
		round()
		grow(i)
	}
	time.Sleep(50 * time.Millisecond)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("port=%d\n", ln.Addr().(*net.TCPAddr).Port)
	srv := &http.Server{} // HEALTHY:http-server (accept loop lives in Serve)
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
