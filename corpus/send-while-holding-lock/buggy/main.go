package main

import (
	"fmt"
	"sync"
)

type bus struct {
	mu   sync.Mutex
	ch   chan string
	seen int
}

func (b *bus) Publish(v string) {
	b.mu.Lock()
	b.ch <- v
	b.mu.Unlock()
}

func (b *bus) loop() {
	for v := range b.ch {
		b.mu.Lock()
		b.seen++
		b.mu.Unlock()
		fmt.Println(v)
	}
}

var b = &bus{ch: make(chan string)}

func main() {
	go b.loop()
	go func() {
		b.Publish("one")
		b.Publish("two")
	}()
	select {}
}
