package main

import (
	"fmt"
	"sync"
)

type Cache struct {
	mu      sync.Mutex
	items   map[string][]byte
	order   []string
	max     int
	onEvict func(key string)
	evicted []string
}

func NewCache(max int) *Cache {
	c := &Cache{items: map[string][]byte{}, max: max}
	c.onEvict = c.recordEviction
	return c
}

func (c *Cache) recordEviction(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evicted = append(c.evicted, key)
}

func (c *Cache) Put(key string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[key] = v
	c.order = append(c.order, key)
	for len(c.order) > c.max {
		old := c.order[0]
		c.order = c.order[1:]
		delete(c.items, old)
		c.onEvict(old)
	}
}

func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	return v, ok
}

func main() {
	for shard := 0; shard < 5; shard++ {
		go func(s int) {
			c := NewCache(2)
			for i := 0; i < 4; i++ {
				c.Put(fmt.Sprintf("s%d-k%d", s, i), make([]byte, 64))
			}
			_, ok := c.Get(fmt.Sprintf("s%d-k3", s))
			fmt.Println(ok)
		}(shard)
	}
	select {}
}
