package main

import (
	"fmt"
	"time"
)

type collector struct {
	quit chan struct{}
}

func (c *collector) flushLoop() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-c.quit:
			return
		}
		fmt.Println("flush")
	}
}

func main() {
	for i := 0; i < 5; i++ {
		c := &collector{quit: make(chan struct{})}
		go c.flushLoop()
		close(c.quit)
	}
	select {}
}
