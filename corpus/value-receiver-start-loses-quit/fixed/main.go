package main

import (
	"fmt"
	"sync/atomic"
)

type Server struct {
	name    string
	quit    chan struct{}
	reqs    chan string
	handled *atomic.Int64
}

func NewServer(name string) *Server {
	return &Server{name: name, reqs: make(chan string), handled: new(atomic.Int64)}
}

func (s *Server) Start() {
	s.quit = make(chan struct{})
	go s.loop()
}

func (s *Server) loop() {
	for {
		select {
		case <-s.quit:
			return
		case r := <-s.reqs:
			s.handled.Add(1)
			fmt.Println(s.name, "handled", r)
		}
	}
}

func (s *Server) Stop() {
	if s.quit != nil {
		close(s.quit)
	}
}

func main() {
	for _, name := range []string{"api", "admin", "metrics", "webhooks"} {
		s := NewServer(name)
		s.Start()
		s.reqs <- "GET /health"
		s.Stop()
	}
	select {}
}
