package main

import (
	"fmt"
	"sync"
	"time"
)

type Reporter struct {
	name   string
	ticker *time.Ticker
	mu     sync.Mutex
	sent   int
}

func NewReporter(name string, every time.Duration) *Reporter {
	r := &Reporter{name: name, ticker: time.NewTicker(every)}
	go r.loop()
	return r
}

func (r *Reporter) loop() {
	for range r.ticker.C {
		r.mu.Lock()
		r.sent++
		r.mu.Unlock()
	}
}

func (r *Reporter) Sent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent
}

func (r *Reporter) Stop() {
	r.ticker.Stop()
}

func main() {
	var reps []*Reporter
	for i := 0; i < 5; i++ {
		reps = append(reps, NewReporter(fmt.Sprintf("disk-%d", i), 5*time.Millisecond))
	}
	time.Sleep(30 * time.Millisecond)
	for _, r := range reps {
		r.Stop()
		fmt.Println(r.name, r.Sent() > 0)
	}
	select {}
}
