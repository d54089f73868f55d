package main

import (
	"fmt"
	"sync"
	"time"
)

type parent struct {
	mu       sync.Mutex
	children map[string]*child
}

type child struct {
	mu     sync.Mutex
	name   string
	parent *parent
}

func (p *parent) Rename(c *child, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	c.mu.Lock()
	delete(p.children, c.name)
	c.name = name
	c.mu.Unlock()
	p.children[name] = c
}

func (p *parent) remove(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.children, name)
}

func (c *child) Detach() {
	c.mu.Lock()
	name := c.name
	c.mu.Unlock()
	time.Sleep(50 * time.Millisecond)
	c.parent.remove(name)
}

func main() {
	p := &parent{children: map[string]*child{}}
	c := &child{name: "a", parent: p}
	p.children["a"] = c
	go p.Rename(c, "b")
	go c.Detach()
	go func() {
		time.Sleep(200 * time.Millisecond)
		fmt.Println(len(p.children))
	}()
	select {}
}
