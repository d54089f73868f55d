package main

import (
	"fmt"
	"sync"
)

type Conn struct {
	mu     sync.Mutex
	id     int
	done   chan struct{}
	closed bool
}

func (c *Conn) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		return make(chan struct{})
	}
	return c.done
}

func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	if c.done == nil {
		c.done = make(chan struct{})
	}
	close(c.done)
}

func watch(c *Conn, wg *sync.WaitGroup) {
	done := c.Done()
	wg.Done()
	<-done
	fmt.Println("conn", c.id, "closed")
}

func main() {
	for i := 0; i < 5; i++ {
		c := &Conn{id: i}
		var watching sync.WaitGroup
		watching.Add(2)
		go watch(c, &watching)
		go watch(c, &watching)
		watching.Wait()
		c.Close()
	}
	select {}
}
