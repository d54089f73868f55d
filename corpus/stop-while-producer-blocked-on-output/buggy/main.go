package main

import (
	"fmt"
)

type Producer struct {
	name string
	out  chan int
	quit chan struct{}
}

func NewProducer(name string) *Producer {
	p := &Producer{name: name, out: make(chan int), quit: make(chan struct{})}
	go p.run()
	return p
}

func (p *Producer) run() {
	for seq := 0; ; seq++ {
		select {
		case <-p.quit:
			return
		default:
		}
		p.out <- seq
	}
}

func (p *Producer) Stop() {
	p.quit <- struct{}{}
}

func main() {
	for i := 0; i < 3; i++ {
		p := NewProducer(fmt.Sprintf("feed-%d", i))
		go func() {
			for n := 0; n < 3; n++ {
				fmt.Println(p.name, <-p.out)
			}
			p.Stop()
			fmt.Println(p.name, "stopped")
		}()
	}
	select {}
}
