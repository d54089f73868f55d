package main

import (
	"fmt"
	"sync"
)

type memo struct {
	mu sync.RWMutex
	m  map[int]int
}

func (c *memo) Get(k int) int {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		c.m[k] = k * k
		v = c.m[k]
		c.mu.Unlock()
	}
	return v
}

func main() {
	c := &memo{m: map[int]int{}}
	go func() { fmt.Println(c.Get(3)) }()
	select {}
}
