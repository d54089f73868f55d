// Fixtures for lost-cancel in a main package: a cancel function kept in a struct field
// or a map that no code that can run ever calls, while a goroutine waits for its context.
package main

import (
	"context"
	"fmt"
	"sync"
)

type client struct {
	cancel context.CancelFunc
	events chan string
}

func dialClient() *client {
	ctx, cancel := context.WithCancel(context.Background()) // want "kept in client.cancel and nothing ever calls it"
	c := &client{cancel: cancel, events: make(chan string)}
	go c.loop(ctx)
	return c
}

func (c *client) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-c.events:
			fmt.Println(e)
		}
	}
}

// Close forgets the cancel function.
func (c *client) Close() { fmt.Println("closing") }

type closingClient struct {
	cancel context.CancelFunc
}

// dialClosing (negative): Close cancels.
func dialClosing() *closingClient {
	ctx, cancel := context.WithCancel(context.Background())
	c := &closingClient{cancel: cancel}
	go func() {
		<-ctx.Done()
	}()
	return c
}

func (c *closingClient) Close() { c.cancel() }

type tracker struct {
	mu     sync.Mutex
	active map[string]context.CancelFunc
}

func (t *tracker) Begin(id string) context.Context {
	ctx, cancel := context.WithCancel(context.Background()) // want "only tracker[.]Cancel[A]ll calls it, which nothing in the program runs"
	t.mu.Lock()
	t.active[id] = cancel
	t.mu.Unlock()
	return ctx
}

func (t *tracker) End(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.active, id)
}

// Nothing calls this method.
func (t *tracker) CancelAll() {
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

func handle(t *tracker, id string) {
	ctx := t.Begin(id)
	go watchdog(ctx, id)
	t.End(id)
}

type registry struct {
	mu    sync.Mutex
	stops map[string]context.CancelFunc
}

func (r *registry) Begin(id string) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	r.mu.Lock()
	r.stops[id] = cancel
	r.mu.Unlock()
	return ctx
}

// Stop (negative): called from main, it cancels.
func (r *registry) Stop(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cancel, ok := r.stops[id]; ok {
		cancel()
		delete(r.stops, id)
	}
}

type shutdowner interface{ Shutdown() }

type service struct {
	cancel context.CancelFunc
}

func startService() *service {
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{cancel: cancel}
	go func() {
		<-ctx.Done()
	}()
	return s
}

// Shutdown (negative): no call names it, but main hands the service to code that sees it as an interface.
func (s *service) Shutdown() { s.cancel() }

func stopAll(xs ...shutdowner) {
	for _, x := range xs {
		x.Shutdown()
	}
}

func main() {
	c := dialClient()
	c.Close()
	c2 := dialClosing()
	c2.Close()
	t := &tracker{active: map[string]context.CancelFunc{}}
	handle(t, "a")
	r := &registry{stops: map[string]context.CancelFunc{}}
	ctx := r.Begin("b")
	go watchdog(ctx, "b")
	r.Stop("b")
	s := startService()
	var any interface{} = s
	fmt.Println(any != nil)
}
