// Fixtures for ticker-not-stopped: goroutines that loop on a ticker with no way out,
// started again and again. They leak whatever the Go version (this module is go 1.24).
package main

import (
	"context"
	"fmt"
	"time"
)

func keepAlive(id int, done <-chan struct{}) {
	for range time.Tick(time.Hour) { // want "keepAlive \\(a goroutine\\) loops on a ticker with no way out, and it is started by session, which main calls in a loop"
		fmt.Println("keepalive", id)
	}
}

func session(id int) {
	done := make(chan struct{})
	go keepAlive(id, done)
	close(done)
}

type collector struct {
	quit chan struct{}
}

func (c *collector) flushLoop() {
	t := time.NewTicker(time.Hour)
	for {
		<-t.C // want "collector.flushLoop \\(a goroutine\\) loops on a ticker with no way out, and it is started in a loop"
		fmt.Println("flush")
	}
}

func perConn(conns []string) {
	for _, c := range conns {
		go func() {
			t := time.NewTicker(time.Second)
			for {
				select { // want "this goroutine loops on a ticker with no way out, and it is started in a loop"
				case <-t.C:
					fmt.Println("ping", c)
				}
			}
		}()
	}
}

// stoppable (negative): the loop returns when done is closed.
func stoppable(done <-chan struct{}) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

func sessionStoppable(id int) {
	done := make(chan struct{})
	go stoppable(done)
	close(done)
}

// withContext (negative): the loop returns on ctx.Done().
func withContext(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// background (negative): one program-lifetime ticker loop, started once.
func background() {
	for range time.Tick(time.Minute) {
		fmt.Println("stats")
	}
}

// poller (negative): a fixed number of program-lifetime pollers started by main.
func poller(id int) {
	for range time.Tick(time.Minute) {
		fmt.Println("poll", id)
	}
}

func main() {
	for i := 0; i < 5; i++ {
		session(i)
		sessionStoppable(i)
		c := &collector{quit: make(chan struct{})}
		go c.flushLoop()
		close(c.quit)
	}
	perConn([]string{"a", "b"})
	go background()
	for i := 0; i < 4; i++ {
		go poller(i)
	}
	go withContext(context.Background())
	select {}
}
