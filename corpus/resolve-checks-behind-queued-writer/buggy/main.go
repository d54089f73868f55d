package main

import (
	"fmt"
	"sync"
	"time"
)

type Registry struct {
	mu       sync.RWMutex
	services map[string][]string
	timeouts map[string]time.Duration
}

func (r *Registry) Timeout(addr string) time.Duration {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if t, ok := r.timeouts[addr]; ok {
		return t
	}
	return time.Second
}

func (r *Registry) Register(name, addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.services[name] = append(r.services[name], addr)
}

func (r *Registry) check(addr string, healthy chan<- string) {
	time.Sleep(20 * time.Millisecond) // dial the endpoint
	if r.Timeout(addr) > 0 {
		healthy <- addr
	}
}

func (r *Registry) Resolve(name string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	addrs := append([]string(nil), r.services[name]...)
	if len(addrs) < 2 {
		go r.Register(name, "10.0.9.9:8080") // fall back to the shared pool
	}
	healthy := make(chan string, len(addrs))
	for _, a := range addrs {
		go r.check(a, healthy)
	}
	var out []string
	for range addrs {
		out = append(out, <-healthy)
	}
	return out
}

func main() {
	for i := 0; i < 3; i++ {
		r := &Registry{services: map[string][]string{"billing": {fmt.Sprintf("10.0.%d.1:8080", i)}}, timeouts: map[string]time.Duration{}}
		go func() {
			fmt.Println(r.Resolve("billing"))
		}()
	}
	select {}
}
