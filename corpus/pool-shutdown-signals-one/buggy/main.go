package main

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

var errClosed = errors.New("pool closed")

type Conn struct{ id int }

type ConnPool struct {
	mu     sync.Mutex
	ready  *sync.Cond
	idle   []*Conn
	closed bool
}

func NewConnPool(n int) *ConnPool {
	p := &ConnPool{}
	p.ready = sync.NewCond(&p.mu)
	for i := 0; i < n; i++ {
		p.idle = append(p.idle, &Conn{id: i})
	}
	return p
}

func (p *ConnPool) Get() (*Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) == 0 && !p.closed {
		p.ready.Wait()
	}
	if p.closed {
		return nil, errClosed
	}
	c := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	return c, nil
}

func (p *ConnPool) Put(c *Conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	p.ready.Signal()
}

func (p *ConnPool) Shutdown() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ready.Signal()
}

func main() {
	p := NewConnPool(1)
	held, _ := p.Get()
	for i := 0; i < 5; i++ {
		go func(id int) {
			c, err := p.Get()
			if err != nil {
				fmt.Println("client", id, err)
				return
			}
			fmt.Println("client", id, "got conn", c.id)
			p.Put(c)
		}(i)
	}
	time.Sleep(100 * time.Millisecond) // the held connection is busy until shutdown
	p.Shutdown()
	_ = held
	select {}
}
