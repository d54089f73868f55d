package main

import "fmt"

type server struct {
	stopped  chan struct{}
	reloaded chan struct{}
	shutdown chan struct{}
}

func newServer() *server {
	s := &server{stopped: make(chan struct{}), reloaded: make(chan struct{}), shutdown: make(chan struct{})}
	go func() {
		select {
		case <-s.stopped:
			fmt.Println("stopped")
		case <-s.reloaded:
			fmt.Println("reloaded")
		}
	}()
	return s
}

func (s *server) Shutdown() {
	close(s.shutdown)
	close(s.stopped)
}

func main() {
	for i := 0; i < 5; i++ {
		newServer().Shutdown()
	}
	select {}
}
