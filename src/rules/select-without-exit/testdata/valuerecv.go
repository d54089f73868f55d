// A value receiver stores the quit channel in a copy (corpus case
// value-receiver-start-loses-quit).
package a

import "fmt"

type server struct {
	quit chan struct{}
	reqs chan string
}

func (s server) Start() {
	s.quit = make(chan struct{})
	go s.loop()
}

func (s *server) loop() {
	for {
		select { // want "server.loop \\(started at line 14 on the receiver of server.Start\\) can only leave this loop through \"s.quit\", but server.Start has a value receiver"
		case <-s.quit:
			return
		case r := <-s.reqs:
			fmt.Println(r)
		}
	}
}

func (s *server) Stop() {
	if s.quit != nil {
		close(s.quit)
	}
}

// The same server with a pointer receiver (negative).
type server2 struct {
	quit chan struct{}
	reqs chan string
}

func (s *server2) Start() {
	s.quit = make(chan struct{})
	go s.loop()
}

func (s *server2) loop() {
	for {
		select {
		case <-s.quit:
			return
		case r := <-s.reqs:
			fmt.Println(r)
		}
	}
}

func (s *server2) Stop() { close(s.quit) }

// A value receiver whose goroutine closes its own quit channel on a request (negative).
type server3 struct {
	quit chan struct{}
	reqs chan string
}

func (s server3) Start() {
	s.quit = make(chan struct{})
	go s.loop()
}

func (s *server3) loop() {
	for {
		select {
		case <-s.quit:
			return
		case r := <-s.reqs:
			if r == "stop" {
				close(s.quit)
			}
		}
	}
}
