// Command leakydemo is the demo service of `leakscope monitor`: a small HTTP service with
// one leaking endpoint and several healthy ones, serving net/http/pprof, and driving its own
// traffic so the leak grows without any other tool.
//
//	go -C examples run ./leakydemo            (or: npm run demo)
//
// Endpoints (all on -addr, default 127.0.0.1:6060):
//
//	/api/report   LEAKS: gives up on a slow computation after a timeout, and the goroutine
//	              computing it blocks forever sending its result (the seed article's
//	              abandoned sender); every call also adds an entry to a cache nothing evicts.
//	/api/search   healthy: fans out to a fixed number of goroutines and waits for all.
//	/api/health   healthy: answers at once.
//	/debug/pprof/ the profiles leakscope scrapes.
//
// Healthy background goroutines: a pool of 8 workers idling on a job channel, and a
// refresher driven by a ticker. Neither grows.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

type report struct {
	id   int
	body []byte
}

var (
	cacheMu sync.Mutex
	cache   = map[int][]byte{} // filled by /api/report and never evicted
	nextID  int
)

// buildReport is the slow part of /api/report.
func buildReport(id int) report {
	time.Sleep(20 * time.Millisecond)
	return report{id: id, body: make([]byte, 512)}
}

func handleReport(w http.ResponseWriter, r *http.Request) {
	cacheMu.Lock()
	nextID++
	id := nextID
	cache[id] = make([]byte, 8<<10) // grows forever: nothing deletes from cache
	cacheMu.Unlock()

	result := make(chan report) // unbuffered: the sender needs a receiver
	go func() {
		result <- buildReport(id) // blocks forever once the handler has timed out
	}()
	select {
	case rep := <-result:
		fmt.Fprintf(w, "report %d: %d bytes\n", rep.id, len(rep.body))
	case <-time.After(5 * time.Millisecond):
		http.Error(w, "report timed out", http.StatusGatewayTimeout)
	}
}

func handleSearch(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	hits := make([]int, 4)
	for i := range hits {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(2 * time.Millisecond)
			hits[i] = i * 10
		}(i)
	}
	wg.Wait()
	fmt.Fprintf(w, "hits: %v\n", hits)
}

func handleHealth(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") }

// workerPool keeps a fixed number of workers parked on jobs: many goroutines blocked at one
// line, but a constant number of them.
func workerPool(ctx context.Context, n int, jobs <-chan func()) {
	for i := 0; i < n; i++ {
		go func() {
			for {
				select {
				case job := <-jobs:
					job()
				case <-ctx.Done():
					return
				}
			}
		}()
	}
}

// refresher wakes up on a ticker, the way caches and heartbeats do.
func refresher(ctx context.Context, jobs chan<- func()) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			jobs <- func() { time.Sleep(time.Millisecond) }
		case <-ctx.Done():
			return
		}
	}
}

// drive sends traffic to the service itself at fixed rates until ctx ends.
func drive(ctx context.Context, base string, path string, perSecond float64) {
	client := &http.Client{Timeout: 5 * time.Second}
	t := time.NewTicker(time.Duration(float64(time.Second) / perSecond))
	defer t.Stop()
	for {
		select {
		case <-t.C:
			resp, err := client.Get(base + path)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:6060", "listen address")
	leakRate := flag.Float64("leak-rate", 4, "calls per second to the leaking /api/report (0: no self-driven traffic to it)")
	load := flag.Bool("load", true, "drive traffic to the service's own endpoints")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	http.HandleFunc("/api/report", handleReport)
	http.HandleFunc("/api/search", handleSearch)
	http.HandleFunc("/api/health", handleHealth)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 60 * time.Second}
	go srv.Serve(ln)
	// The port line lets scripts and tests find the service when -addr ends in :0.
	fmt.Printf("leakydemo listening on http://%s (pprof at /debug/pprof/) port=%d\n", ln.Addr(), ln.Addr().(*net.TCPAddr).Port)

	jobs := make(chan func())
	workerPool(ctx, 8, jobs)
	go refresher(ctx, jobs)
	base := "http://" + ln.Addr().String()
	if *load {
		go drive(ctx, base, "/api/search", 20)
		go drive(ctx, base, "/api/health", 10)
		if *leakRate > 0 {
			go drive(ctx, base, "/api/report", *leakRate)
		}
	}
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
}
