package main

import (
	"fmt"
	"sync"
	"time"
)

type Exporter struct {
	mu   sync.Mutex
	buf  []string
	sent []string
	quit chan struct{}
	done chan struct{}
}

func NewExporter() *Exporter {
	e := &Exporter{quit: make(chan struct{}), done: make(chan struct{})}
	go e.run()
	return e
}

func (e *Exporter) Add(span string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buf = append(e.buf, span)
}

func (e *Exporter) flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sent = append(e.sent, e.buf...)
	e.buf = nil
}

func (e *Exporter) run() {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			e.flush()
		case <-e.quit:
			e.flush()
			close(e.done)
			return
		}
	}
}

func (e *Exporter) Close() {
	close(e.quit)
	<-e.done
}

func main() {
	for i := 0; i < 3; i++ {
		e := NewExporter()
		go func(svc int) {
			e.Add(fmt.Sprintf("svc-%d GET /orders", svc))
			e.Add(fmt.Sprintf("svc-%d SELECT orders", svc))
			e.Close()
			fmt.Println("svc", svc, "exported", len(e.sent))
		}(i)
	}
	select {}
}
