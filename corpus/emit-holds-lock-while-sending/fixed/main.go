package main

import (
	"fmt"
	"sync"
	"time"
)

type Record struct {
	Source string
	Seq    int
}

type Pipeline struct {
	mu       sync.Mutex
	inflight int
	consumed int
	out      chan Record
}

func (p *Pipeline) Emit(r Record) {
	p.mu.Lock()
	p.inflight++
	p.mu.Unlock()
	p.out <- r
}

func (p *Pipeline) consume(done chan<- struct{}) {
	for r := range p.out {
		time.Sleep(5 * time.Millisecond) // store the record
		p.mu.Lock()
		p.consumed++
		p.inflight--
		p.mu.Unlock()
		_ = r
	}
	close(done)
}

func main() {
	p := &Pipeline{out: make(chan Record)}
	done := make(chan struct{})
	go p.consume(done)
	var sources sync.WaitGroup
	for s := 0; s < 3; s++ {
		sources.Add(1)
		go func(name string) {
			defer sources.Done()
			for i := 0; i < 4; i++ {
				p.Emit(Record{Source: name, Seq: i})
			}
		}(fmt.Sprintf("sensor-%d", s))
	}
	go func() {
		sources.Wait()
		close(p.out)
		<-done
		fmt.Println("consumed", p.consumed)
	}()
	select {}
}
