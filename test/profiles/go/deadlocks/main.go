// Command deadlocks is a service that deadlocks on request, in the two ways a lock
// deadlock happens: /selflock makes a goroutine lock a mutex its own caller holds
// (a method that holds c.mu calls a method that locks it again), /abba makes two
// transfers lock two accounts in opposite orders (each holds one lock and waits for
// the other) and then starts an audit that waits behind them. Each deadlocked line
// carries a DEADLOCK:<name> marker. It prints port=N once it listens on 127.0.0.1.
package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sync"
)

// Cache holds values behind a mutex.
type Cache struct {
	hits int
	mu   sync.Mutex
	data map[string]int
}

// Get holds c.mu while it calls refresh, which locks c.mu again.
func (c *Cache) Get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refresh(k) // DEADLOCK:self-call
}

func (c *Cache) refresh(k string) int {
	c.mu.Lock() // DEADLOCK:self-wait
	defer c.mu.Unlock()
	c.hits++
	return c.data[k]
}

// Account is a balance behind a mutex.
type Account struct {
	id      int
	mu      sync.Mutex
	balance int
}

// transfer locks the source, then the destination; locked and proceed make both
// transfers hold their first lock before either takes its second.
func transfer(from, to *Account, n int, locked chan<- struct{}, proceed <-chan struct{}) {
	from.mu.Lock() // DEADLOCK:abba-first
	defer from.mu.Unlock()
	locked <- struct{}{}
	<-proceed
	to.mu.Lock() // DEADLOCK:abba-wait
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

// audit reads a balance.
func audit(a *Account) int {
	a.mu.Lock() // DEADLOCK:behind
	defer a.mu.Unlock()
	return a.balance
}

func main() {
	cache := &Cache{data: map[string]int{}}
	a, b := &Account{id: 1, balance: 100}, &Account{id: 2, balance: 100}
	started := make(chan struct{}, 1)
	http.HandleFunc("/selflock", func(w http.ResponseWriter, r *http.Request) {
		go cache.Get("k")
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/abba", func(w http.ResponseWriter, r *http.Request) {
		locked := make(chan struct{})
		proceed := make(chan struct{})
		go transfer(a, b, 10, locked, proceed)
		go transfer(b, a, 20, locked, proceed)
		<-locked
		<-locked
		close(proceed)
		go func() {
			started <- struct{}{}
			audit(a)
		}()
		<-started
		fmt.Fprintln(w, "ok")
	})
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
