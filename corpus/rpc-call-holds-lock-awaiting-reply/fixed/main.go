package main

import (
	"fmt"
	"sync"
)

type frame struct {
	id   int
	body string
}

type Client struct {
	mu      sync.Mutex
	seq     int
	pending map[int]chan string
	wire    chan frame
	replies chan frame
}

func NewClient() *Client {
	c := &Client{pending: map[int]chan string{}, wire: make(chan frame), replies: make(chan frame)}
	go c.server()
	go c.readLoop()
	return c
}

// server stands in for the remote end of the connection.
func (c *Client) server() {
	for f := range c.wire {
		c.replies <- frame{id: f.id, body: "ok: " + f.body}
	}
	close(c.replies)
}

func (c *Client) readLoop() {
	for f := range c.replies {
		c.mu.Lock()
		ch := c.pending[f.id]
		delete(c.pending, f.id)
		c.mu.Unlock()
		ch <- f.body
	}
}

func (c *Client) Call(method string) string {
	c.mu.Lock()
	c.seq++
	id := c.seq
	ch := make(chan string, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	c.wire <- frame{id: id, body: method}
	reply := <-ch
	return reply
}

func (c *Client) Close() { close(c.wire) }

func main() {
	c := NewClient()
	var calls sync.WaitGroup
	for _, m := range []string{"Status", "Version", "Health"} {
		calls.Add(1)
		go func(method string) {
			defer calls.Done()
			fmt.Println(c.Call(method))
		}(m)
	}
	go func() {
		calls.Wait()
		c.Close()
	}()
	select {}
}
