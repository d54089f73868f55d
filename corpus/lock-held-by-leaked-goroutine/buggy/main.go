package main

import (
	"fmt"
	"sync"
	"time"
)

type cache struct {
	mu  sync.Mutex
	val string
}

func (c *cache) refresh(out chan<- string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(30 * time.Millisecond)
	c.val = "fresh"
	out <- c.val
}

func (c *cache) Get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.val
}

func main() {
	c := &cache{}
	out := make(chan string)
	go c.refresh(out)
	select {
	case v := <-out:
		fmt.Println(v)
	case <-time.After(time.Millisecond):
		fmt.Println("refresh timed out")
	}
	time.Sleep(5 * time.Millisecond)
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(c.Get()) }()
	}
	select {}
}
