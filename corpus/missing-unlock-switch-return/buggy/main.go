package main

import (
	"errors"
	"fmt"
)

import "sync"

type conn struct {
	mu    sync.Mutex
	state string
}

func (c *conn) Transition(ev string) error {
	c.mu.Lock()
	switch ev {
	case "open":
		c.state = "open"
	case "close":
		if c.state != "open" {
			return errors.New("not open")
		}
		c.state = "closed"
	default:
		c.mu.Unlock()
		return fmt.Errorf("unknown event %q", ev)
	}
	c.mu.Unlock()
	return nil
}

func main() {
	c := &conn{}
	fmt.Println(c.Transition("close"))
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(c.Transition("open")) }()
	}
	select {}
}
