package main

import (
	"fmt"
	"time"
)

type Publisher struct {
	out     chan string
	dropped int
}

func (p *Publisher) PublishAll(msgs []string) int {
	timeout := time.NewTimer(20 * time.Millisecond)
	sent := 0
	for _, m := range msgs {
		select {
		case p.out <- m:
			sent++
		case <-timeout.C:
			p.dropped++
		}
	}
	return sent
}

func consumer(name string, in <-chan string, limit int) {
	for i := 0; i < limit; i++ {
		fmt.Println(name, "got", <-in)
	}
	fmt.Println(name, "unsubscribed")
}

func main() {
	for i := 0; i < 3; i++ {
		p := &Publisher{out: make(chan string)}
		go consumer(fmt.Sprintf("client-%d", i), p.out, 2)
		go func() {
			n := p.PublishAll([]string{"tick 1", "tick 2", "tick 3", "tick 4", "tick 5"})
			fmt.Println("sent", n, "dropped", p.dropped)
		}()
	}
	select {}
}
