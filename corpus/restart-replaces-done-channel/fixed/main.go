package main

import "fmt"

type service struct {
	done chan struct{}
}

func (s *service) start(gen int) {
	done := s.done
	go func() {
		<-done
		fmt.Println("generation", gen, "stopped")
	}()
}

func (s *service) Restart(gen int) {
	close(s.done)
	s.done = make(chan struct{})
	s.start(gen)
}

func main() {
	s := &service{done: make(chan struct{})}
	s.start(0)
	for gen := 1; gen <= 5; gen++ {
		s.Restart(gen)
	}
	close(s.done)
	select {}
}
