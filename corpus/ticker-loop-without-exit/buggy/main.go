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
	for {
		<-t.C
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
