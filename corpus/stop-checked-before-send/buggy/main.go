package main

import "sync"

type worker struct {
	mu      sync.Mutex
	stopped bool
	jobs    chan int
	quit    chan struct{}
	done    chan struct{}
}

func start() *worker {
	w := &worker{jobs: make(chan int), quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

func (w *worker) loop() {
	defer close(w.done)
	for {
		// Jobs first: quit only when no job is waiting.
		select {
		case <-w.jobs:
			continue
		default:
		}
		select {
		case <-w.jobs:
		case <-w.quit:
			return
		}
	}
}

// submit checks the flag under the lock but sends after releasing it: if the
// worker stops in between, the send blocks forever.
func (w *worker) submit(j int) {
	w.mu.Lock()
	stopped := w.stopped
	w.mu.Unlock()
	if stopped {
		return
	}
	w.jobs <- j
}

func (w *worker) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	close(w.quit)
	<-w.done
}

func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i
	}
	return s
}

var sink int

func main() {
	for i := 0; i < 5; i++ {
		w := start()
		go w.submit(i)
		sink += spin(20000)
		w.stop()
	}
	select {}
}
