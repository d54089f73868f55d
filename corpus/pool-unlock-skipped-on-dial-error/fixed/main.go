package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

type conn struct{ addr string }

type ConnPool struct {
	mu    sync.Mutex
	conns map[string]*conn
	dial  func(addr string) (*conn, error)
}

func (p *ConnPool) Get(addr string) (*conn, error) {
	p.mu.Lock()
	if c, ok := p.conns[addr]; ok {
		p.mu.Unlock()
		return c, nil
	}
	c, err := p.dial(addr)
	if err != nil {
		p.mu.Unlock()
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	p.conns[addr] = c
	p.mu.Unlock()
	return c, nil
}

type Client struct {
	pool *ConnPool
}

func (cl *Client) Call(addr, method string) error {
	c, err := cl.pool.Get(addr)
	if err != nil {
		return err
	}
	fmt.Println("call", method, "on", c.addr)
	return nil
}

func dial(addr string) (*conn, error) {
	if strings.HasPrefix(addr, "10.9.") {
		return nil, errors.New("connection refused")
	}
	return &conn{addr: addr}, nil
}

func main() {
	cl := &Client{pool: &ConnPool{conns: map[string]*conn{}, dial: dial}}
	addrs := []string{"10.0.0.1:80", "10.9.0.7:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.1:80"}
	go func() {
		for _, a := range addrs {
			if err := cl.Call(a, "Status"); err != nil {
				fmt.Println(err)
			}
		}
	}()
	for i := 0; i < 4; i++ {
		go func() {
			_ = cl.Call("10.0.0.4:80", "Ping")
		}()
	}
	select {}
}
