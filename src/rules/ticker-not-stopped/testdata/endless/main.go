// Fixtures for ticker-not-stopped: goroutines that loop on a ticker with no way out,
// started again and again (one per peer, per tenant, per connection). They leak whatever
// the Go version (this module is go 1.24).
package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// gossip announces this node to one peer forever; the stop channel is never looked at.
func gossip(peer string, stop <-chan struct{}) {
	n := 0
	for now := range time.Tick(30 * time.Second) { // want "gossip \\(a goroutine\\) loops on a ticker with no way out, and it is started by join, which main calls in a loop"
		n++
		fmt.Println(peer, now.Unix(), n)
	}
}

func join(peer string) {
	stop := make(chan struct{})
	go gossip(strings.TrimSpace(peer), stop)
	defer close(stop)
}

// gossipStoppable (negative): the loop returns when stop is closed.
func gossipStoppable(peer string, stop <-chan struct{}) {
	every := time.NewTicker(30 * time.Second)
	defer every.Stop()
	for {
		select {
		case now := <-every.C:
			fmt.Println(peer, now.Unix())
		case <-stop:
			return
		}
	}
}

func joinStoppable(peer string) {
	stop := make(chan struct{})
	go gossipStoppable(peer, stop)
	defer close(stop)
}

// quota refreshes a tenant's limits; its quit channel is never read.
type quota struct {
	tenant string
	quit   chan struct{}
	limit  int
}

func (q *quota) refresh() {
	tk := time.NewTicker(5 * time.Minute)
	for {
		if _, ok := <-tk.C; ok { // want "quota.refresh \\(a goroutine\\) loops on a ticker with no way out, and it is started in a loop"
			q.limit++
		}
	}
}

// mirror: one goroutine per replica, each selecting only on its ticker.
func mirror(replicas map[string]int) {
	for name, lag := range replicas {
		go func() {
			tk := time.NewTicker(time.Duration(lag) * time.Millisecond)
			for {
				select { // want "this goroutine loops on a ticker with no way out, and it is started in a loop"
				case t := <-tk.C:
					fmt.Println("sync", name, t)
				}
			}
		}()
	}
}

// drain (negative): one per queue, but the loop returns on ctx.Done().
func drain(ctx context.Context, q chan string) {
	idle := time.NewTicker(time.Second)
	defer idle.Stop()
	for {
		select {
		case s := <-q:
			fmt.Println(s)
		case <-idle.C:
		case <-ctx.Done():
			return
		}
	}
}

// reportUsage (negative): one program-lifetime ticker loop, started once.
func reportUsage() {
	for range time.Tick(time.Minute) {
		fmt.Println("usage")
	}
}

// shardScanner (negative): a fixed number of program-lifetime scanners started by main.
func shardScanner(shard int) {
	for t := range time.Tick(time.Minute) {
		fmt.Println("scan", shard, t)
	}
}

func main() {
	peers := []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}
	for _, p := range peers {
		join(p)
		joinStoppable(p)
	}
	for _, t := range []string{"acme", "globex"} {
		q := &quota{tenant: t, quit: make(chan struct{})}
		go q.refresh()
		close(q.quit)
	}
	mirror(map[string]int{"eu": 50, "us": 80})
	go reportUsage()
	for s := 0; s < 3; s++ {
		go shardScanner(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	for i := 0; i < 2; i++ {
		go drain(ctx, make(chan string))
	}
	cancel()
	select {}
}
