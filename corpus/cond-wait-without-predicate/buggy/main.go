package main

import (
	"fmt"
	"sync"
	"time"
)

type gate struct {
	mu   sync.Mutex
	c    *sync.Cond
	open bool
}

func (g *gate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
	g.c.Broadcast()
}

func (g *gate) Wait() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.c.Wait()
}

func main() {
	g := &gate{}
	g.c = sync.NewCond(&g.mu)
	g.Open()
	for i := 0; i < 5; i++ {
		go func(i int) {
			g.Wait()
			fmt.Println("passed", i)
		}(i)
	}
	time.Sleep(10 * time.Millisecond)
	select {}
}
