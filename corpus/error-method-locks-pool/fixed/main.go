package main

import (
	"fmt"
	"log"
	"sync"
)

type Pool struct {
	mu    sync.Mutex
	name  string
	conns []string
	limit int
	waits int
}

type exhaustedError struct {
	p *Pool
}

func (e *exhaustedError) Error() string {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	return fmt.Sprintf("pool %s exhausted: %d/%d in use, %d waits", e.p.name, len(e.p.conns), e.p.limit, e.p.waits)
}

func (p *Pool) Acquire(client string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.conns) >= p.limit {
		p.waits++
		err := &exhaustedError{p: p}
		log.Printf("acquire for %s: pool %s exhausted (%d in use)", client, p.name, len(p.conns))
		return err
	}
	p.conns = append(p.conns, client)
	return nil
}

func (p *Pool) Release(client string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, c := range p.conns {
		if c == client {
			p.conns = append(p.conns[:i], p.conns[i+1:]...)
			return
		}
	}
}

func main() {
	for r := 0; r < 5; r++ {
		p := &Pool{name: fmt.Sprintf("replica-%d", r), limit: 2}
		go func() {
			for i := 0; i < 3; i++ {
				if err := p.Acquire(fmt.Sprintf("client-%d", i)); err != nil {
					return
				}
			}
		}()
	}
	select {}
}
