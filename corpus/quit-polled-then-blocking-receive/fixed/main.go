package main

import (
	"fmt"
	"sync"
	"time"
)

type Worker struct {
	jobs chan string
	quit chan struct{}
	wg   sync.WaitGroup
}

func NewWorker() *Worker {
	w := &Worker{jobs: make(chan string), quit: make(chan struct{})}
	w.wg.Add(1)
	go w.loop()
	return w
}

func (w *Worker) loop() {
	defer w.wg.Done()
	for {
		select {
		case <-w.quit:
			return
		default:
		}
		var job string
		select {
		case <-w.quit:
			return
		case job = <-w.jobs:
		}
		fmt.Println("processed", job)
	}
}

func (w *Worker) Close() {
	close(w.quit)
	w.wg.Wait()
}

func main() {
	for i := 0; i < 3; i++ {
		w := NewWorker()
		w.jobs <- fmt.Sprintf("thumbnail-%d", i)
		w.jobs <- fmt.Sprintf("preview-%d", i)
		go func() {
			time.Sleep(30 * time.Millisecond) // serve until the deploy drains the node
			w.Close()
		}()
	}
	select {}
}
