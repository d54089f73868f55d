package main

import (
	"fmt"
	"sync"
)

type pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func (p *pool) loop() {
	defer p.wg.Done()
	for job := range p.jobs {
		job()
	}
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	run := p.loop
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go run()
	}
	return p
}

func (p *pool) Stop() {
}

func main() {
	p := newPool(5)
	p.jobs <- func() { fmt.Println("job") }
	p.Stop()
	select {}
}
