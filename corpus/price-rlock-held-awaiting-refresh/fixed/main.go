package main

import (
	"fmt"
	"sync"
)

type Catalog struct {
	mu      sync.RWMutex
	prices  map[string]int
	refresh chan string
	loaded  chan string
}

func NewCatalog() *Catalog {
	c := &Catalog{prices: map[string]int{"apple": 3}, refresh: make(chan string), loaded: make(chan string)}
	go c.refresher()
	return c
}

func (c *Catalog) refresher() {
	for sku := range c.refresh {
		c.mu.Lock()
		c.prices[sku] = len(sku) * 10
		c.mu.Unlock()
		c.loaded <- sku
	}
}

func (c *Catalog) Price(sku string) int {
	c.mu.RLock()
	p, ok := c.prices[sku]
	c.mu.RUnlock()
	if !ok {
		c.refresh <- sku
		<-c.loaded
		c.mu.RLock()
		defer c.mu.RUnlock()
		p = c.prices[sku]
	}
	return p
}

func (c *Catalog) Close() { close(c.refresh) }

func main() {
	c := NewCatalog()
	go func() {
		for _, sku := range []string{"apple", "banana", "cherry"} {
			fmt.Println(sku, c.Price(sku))
		}
		c.Close()
	}()
	select {}
}
