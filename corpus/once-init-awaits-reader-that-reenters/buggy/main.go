package main

import (
	"fmt"
	"strings"
	"sync"
)

type Conn struct {
	once      sync.Once
	events    chan string
	handshake chan string
	session   string
}

func (c *Conn) ensure() {
	c.once.Do(c.init)
}

func (c *Conn) init() {
	go c.reader()
	c.session = <-c.handshake
}

func (c *Conn) reader() {
	for ev := range c.events {
		c.ensure()
		if strings.HasPrefix(ev, "hello ") {
			c.handshake <- strings.TrimPrefix(ev, "hello ")
			continue
		}
		fmt.Println(c.session, "event:", ev)
	}
}

func (c *Conn) Send(msg string) {
	c.ensure()
	fmt.Println(c.session, "send:", msg)
}

func main() {
	for i := 0; i < 3; i++ {
		c := &Conn{events: make(chan string, 4), handshake: make(chan string)}
		c.events <- fmt.Sprintf("hello session-%d", i)
		c.events <- "ping"
		close(c.events)
		go c.Send("subscribe prices")
	}
	select {}
}
