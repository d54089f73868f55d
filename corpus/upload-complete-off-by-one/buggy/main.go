package main

import (
	"fmt"
	"sync"
)

type Upload struct {
	id       string
	parts    int
	mu       sync.Mutex
	received int
	finished chan struct{}
}

func NewUpload(id string, parts int) *Upload {
	return &Upload{id: id, parts: parts, finished: make(chan struct{})}
}

func (u *Upload) AddPart(data []byte) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.received++
	if u.received > u.parts {
		close(u.finished)
	}
}

func (u *Upload) Wait() { <-u.finished }

func notifyWhenDone(u *Upload) {
	u.Wait()
	fmt.Println("upload", u.id, "complete")
}

func main() {
	for i := 0; i < 5; i++ {
		u := NewUpload(fmt.Sprintf("video-%d", i), 3)
		go notifyWhenDone(u)
		for p := 0; p < 3; p++ {
			u.AddPart(make([]byte, 1024))
		}
	}
	select {}
}
