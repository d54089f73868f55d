package main

import (
	"context"
	"fmt"
	"sync"
)

type Poller struct {
	mu     sync.Mutex
	target string
	cancel context.CancelFunc
	wake   chan struct{}
	polls  int
}

func NewPoller(target string) *Poller {
	return &Poller{target: target, wake: make(chan struct{})}
}

func (p *Poller) Start() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go p.run(ctx)
}

func (p *Poller) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
			p.mu.Lock()
			p.polls++
			p.mu.Unlock()
		}
	}
}

func (p *Poller) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
}

func main() {
	for _, t := range []string{"inventory", "billing", "search"} {
		p := NewPoller(t)
		p.Start()
		p.Start() // reconfigured: restart with the new interval
		p.Stop()
		fmt.Println("stopped", p.target)
	}
	select {}
}
