package main

import (
	"fmt"
	"strings"
	"sync"
)

type Cache struct {
	mu   sync.RWMutex
	data map[string]string
}

func (c *Cache) set(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data[k] = v
}

func (c *Cache) Warm(keys []string) int {
	c.mu.RLock()
	var missing []string
	for _, k := range keys {
		if _, ok := c.data[k]; !ok {
			missing = append(missing, k)
		}
	}
	var wg sync.WaitGroup
	for _, k := range missing {
		wg.Add(1)
		go func(key string) {
			defer wg.Done()
			c.set(key, strings.ToUpper(key))
		}(k)
	}
	wg.Wait()
	c.mu.RUnlock()
	return len(missing)
}

func main() {
	for i := 0; i < 3; i++ {
		c := &Cache{data: map[string]string{"home": "HOME"}}
		go func() { fmt.Println("warmed", c.Warm([]string{"home", "pricing", "docs"})) }()
	}
	select {}
}
