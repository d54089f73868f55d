package main

import (
	"fmt"
	"sync"
)

type loader struct {
	ready chan struct{}
	mu    sync.Mutex
	data  []string
}

func newLoader() *loader {
	l := &loader{ready: make(chan struct{})}
	go l.load()
	return l
}

func (l *loader) load() {
	l.mu.Lock()
	l.data = []string{"a", "b"}
	l.mu.Unlock()
	close(l.ready)
}

func (l *loader) Get(i int) string {
	<-l.ready
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.data[i%len(l.data)]
}

func main() {
	l := newLoader()
	for i := 0; i < 6; i++ {
		go func(i int) { fmt.Println(l.Get(i)) }(i)
	}
	select {}
}
