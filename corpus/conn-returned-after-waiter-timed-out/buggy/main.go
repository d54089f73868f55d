package main

import (
	"errors"
	"fmt"
	"time"
)

var errTimeout = errors.New("no connection available")

type Conn struct{ id int }

type Pool struct {
	idle chan *Conn
}

func (p *Pool) Get(wait time.Duration) (*Conn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case c := <-p.idle:
		return c, nil
	case <-t.C:
		return nil, errTimeout
	}
}

func (p *Pool) Put(c *Conn) {
	p.idle <- c
}

func handle(p *Pool, c *Conn, work time.Duration) {
	time.Sleep(work) // a slow query
	p.Put(c)
}

func main() {
	for i := 0; i < 3; i++ {
		p := &Pool{idle: make(chan *Conn)}
		go handle(p, &Conn{id: i}, 60*time.Millisecond)
		go func() {
			c, err := p.Get(10 * time.Millisecond)
			fmt.Println(c, err)
		}()
	}
	select {}
}
