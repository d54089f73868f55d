package main

import (
	"fmt"
	"sync"
)

type lru struct {
	sync.Mutex
	entries map[string][]byte
	limit   int
}

func (c *lru) size() int {
	c.Lock()
	defer c.Unlock()
	n := 0
	for _, v := range c.entries {
		n += len(v)
	}
	return n
}

func (c *lru) Purge() {
	c.Lock()
	defer c.Unlock()
	for k := range c.entries {
		if c.size() <= c.limit {
			return
		}
		delete(c.entries, k)
	}
}

func main() {
	c := &lru{entries: map[string][]byte{"a": make([]byte, 10)}, limit: 5}
	go func() {
		c.Purge()
		fmt.Println(len(c.entries))
	}()
	select {}
}
