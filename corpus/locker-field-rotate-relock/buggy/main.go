package main

import (
	"fmt"
	"sync"
)

type Counter struct {
	mu     sync.Locker
	counts map[string]int
	limit  int
	epoch  int
}

func NewCounter(limit int) *Counter {
	return &Counter{mu: &sync.Mutex{}, counts: map[string]int{}, limit: limit}
}

// Rotate starts a new counting epoch; the admin endpoint calls it too.
func (c *Counter) Rotate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rotateLocked()
}

func (c *Counter) rotateLocked() {
	for k := range c.counts {
		c.counts[k] = 0
	}
	c.epoch++
}

func (c *Counter) Inc(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[key]++
	if c.counts[key] >= c.limit {
		c.Rotate()
	}
}

func main() {
	for i := 0; i < 4; i++ {
		c := NewCounter(3)
		go func(tenant int) {
			for j := 0; j < 5; j++ {
				c.Inc(fmt.Sprintf("tenant-%d", tenant))
			}
			fmt.Println("tenant", tenant, "epoch", c.epoch)
		}(i)
	}
	select {}
}
