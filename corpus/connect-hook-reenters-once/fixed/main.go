package main

import (
	"fmt"
	"sync"
)

type Client struct {
	addr string
}

type Service struct {
	addr   string
	once   sync.Once
	conn   *Client
	hooks  []func(*Client)
	labels map[string]string
}

func (s *Service) connect() {
	c := &Client{addr: s.addr}
	for _, h := range s.hooks {
		h(c)
	}
	s.conn = c
}

func (s *Service) client() *Client {
	s.once.Do(s.connect)
	return s.conn
}

func (s *Service) OnConnect(h func(*Client)) { s.hooks = append(s.hooks, h) }

func (s *Service) Addr() string { return s.client().addr }

func main() {
	for i := 0; i < 3; i++ {
		s := &Service{addr: fmt.Sprintf("10.1.0.%d:6379", i), labels: map[string]string{}}
		s.OnConnect(func(c *Client) {
			s.labels["addr"] = c.addr
		})
		go func() { fmt.Println("connected to", s.Addr()) }()
	}
	select {}
}
