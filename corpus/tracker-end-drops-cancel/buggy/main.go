package main

import (
	"context"
	"fmt"
	"sync"
)

type Tracker struct {
	mu     sync.Mutex
	active map[string]context.CancelFunc
}

func (t *Tracker) Begin(id string) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.mu.Lock()
	t.active[id] = cancel
	t.mu.Unlock()
	return ctx
}

func (t *Tracker) End(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.active, id)
}

func (t *Tracker) CancelAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, cancel := range t.active {
		cancel()
		delete(t.active, id)
	}
}

func watchdog(ctx context.Context, id string) {
	<-ctx.Done()
	fmt.Println("request", id, "finished:", ctx.Err())
}

func handle(t *Tracker, id string) {
	ctx := t.Begin(id)
	go watchdog(ctx, id)
	fmt.Println("handled", id)
	t.End(id)
}

func main() {
	t := &Tracker{active: map[string]context.CancelFunc{}}
	for i := 0; i < 5; i++ {
		handle(t, fmt.Sprintf("req-%d", i))
	}
	select {}
}
