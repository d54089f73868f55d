package main

import (
	"context"
	"fmt"
	"time"
)

type client struct {
	cancel context.CancelFunc
	events chan string
}

func dialClient() *client {
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{cancel: cancel, events: make(chan string)}
	go c.loop(ctx)
	return c
}

func (c *client) loop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.events <- "ping"
		}
	}
}

func (c *client) Close() {
	fmt.Println("closing")
}

func main() {
	for i := 0; i < 5; i++ {
		c := dialClient()
		c.Close()
	}
	select {}
}
