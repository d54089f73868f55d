package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

type Gates struct {
	mu    sync.Mutex
	gates map[string]chan struct{}
}

func NewGates() *Gates {
	return &Gates{gates: map[string]chan struct{}{}}
}

func (g *Gates) Register(name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gates[strings.ToLower(name)] = make(chan struct{})
}

func (g *Gates) Open(name string) {
	g.mu.Lock()
	ch := g.gates[strings.ToLower(name)]
	g.mu.Unlock()
	if ch != nil {
		close(ch)
	}
}

func (g *Gates) Wait(name string) {
	g.mu.Lock()
	ch := g.gates[name]
	g.mu.Unlock()
	<-ch
}

func main() {
	g := NewGates()
	for _, dep := range []string{"Database", "Cache", "Queue", "Search", "Mailer"} {
		g.Register(dep)
	}
	for _, dep := range []string{"Database", "Cache", "Queue", "Search", "Mailer"} {
		go func(d string) {
			g.Wait(d)
			fmt.Println(d, "ready")
		}(dep)
	}
	time.Sleep(20 * time.Millisecond)
	for _, dep := range []string{"Database", "Cache", "Queue", "Search", "Mailer"} {
		g.Open(dep)
	}
	select {}
}
