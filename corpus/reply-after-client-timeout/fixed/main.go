package main

import (
	"fmt"
	"time"
)

type request struct {
	key   string
	reply chan string
}

type Server struct {
	reqs chan request
	data map[string]string
}

func NewServer() *Server {
	s := &Server{reqs: make(chan request), data: map[string]string{"a": "1", "report": "large"}}
	go s.serve()
	return s
}

func (s *Server) serve() {
	for r := range s.reqs {
		if r.key == "report" {
			time.Sleep(100 * time.Millisecond) // assembling a large value
		}
		r.reply <- s.data[r.key]
	}
}

func (s *Server) Get(key string, timeout time.Duration) (string, bool) {
	r := request{key: key, reply: make(chan string, 1)}
	s.reqs <- r
	select {
	case v := <-r.reply:
		return v, true
	case <-time.After(timeout):
		return "", false
	}
}

func (s *Server) Close() { close(s.reqs) }

func main() {
	s := NewServer()
	go func() {
		for _, k := range []string{"a", "report", "a", "a"} {
			v, ok := s.Get(k, 10*time.Millisecond)
			fmt.Println(k, v, ok)
		}
		s.Close()
	}()
	select {}
}
