package main

import (
	"fmt"
	"sync"
)

type registry struct {
	mu    sync.RWMutex
	items map[string]int
}

func (r *registry) Each(visit func(k string, v int)) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	snapshot := make(map[string]int, len(r.items))
	for k, v := range r.items {
		snapshot[k] = v
	}
	for k, v := range snapshot {
		visit(k, v)
	}
}

func (r *registry) Delete(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.items, k)
}

func main() {
	r := &registry{items: map[string]int{"a": 1, "b": 0}}
	go func() {
		r.Each(func(k string, v int) {
			if v == 0 {
				r.Delete(k)
			}
		})
		fmt.Println(len(r.items))
	}()
	select {}
}
