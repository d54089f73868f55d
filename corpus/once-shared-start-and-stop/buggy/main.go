package main

import (
	"fmt"
	"sync"
)

type Agent struct {
	once    sync.Once
	stop    chan struct{}
	metrics chan string
	sent    int
}

func NewAgent() *Agent {
	return &Agent{stop: make(chan struct{}), metrics: make(chan string)}
}

func (a *Agent) Start() {
	a.once.Do(func() {
		go a.loop()
	})
}

func (a *Agent) loop() {
	for {
		select {
		case m := <-a.metrics:
			a.sent++
			fmt.Println("shipping", m)
		case <-a.stop:
			return
		}
	}
}

func (a *Agent) Stop() {
	a.once.Do(func() {
		close(a.stop)
	})
}

func main() {
	for i := 0; i < 4; i++ {
		a := NewAgent()
		a.Start()
		a.metrics <- fmt.Sprintf("host-%d cpu=0.4", i)
		a.Stop()
	}
	select {}
}
