package main

import (
	"fmt"
)

type Worker struct {
	name  string
	start chan string
	ready chan struct{}
}

func (w *Worker) run() {
	close(w.ready)
	cfg := <-w.start
	fmt.Println(w.name, "running with", cfg)
}

type Supervisor struct {
	workers []*Worker
}

func (s *Supervisor) Launch(n int) {
	for i := 0; i < n; i++ {
		w := &Worker{name: fmt.Sprintf("indexer-%d", i), start: make(chan string), ready: make(chan struct{})}
		s.workers = append(s.workers, w)
		go w.run()
	}
	for _, w := range s.workers {
		<-w.ready
		w.start <- "shard=" + w.name
	}
}

func main() {
	for i := 0; i < 2; i++ {
		s := &Supervisor{}
		go s.Launch(3)
	}
	select {}
}
