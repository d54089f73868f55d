package main

import (
	"sync"
	"time"
)

type cache struct {
	mu      sync.Mutex
	items   map[string]time.Time
	refresh chan string
	quit    chan struct{}
}

func newCache() *cache {
	c := &cache{items: map[string]time.Time{}, refresh: make(chan string), quit: make(chan struct{})}
	go c.janitor()
	return c
}

func (c *cache) janitor() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			c.evict()
		case k := <-c.refresh:
			c.mu.Lock()
			c.items[k] = time.Now()
			c.mu.Unlock()
		}
	}
}

func (c *cache) evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, at := range c.items {
		if time.Since(at) > time.Minute {
			delete(c.items, k)
		}
	}
}

func (c *cache) Close() {
	close(c.quit)
}

func main() {
	for i := 0; i < 6; i++ {
		c := newCache()
		c.refresh <- "k"
		c.Close()
	}
	select {}
}
