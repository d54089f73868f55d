package main

import (
	"fmt"
	"sync"
	"time"
)

type hub struct {
	mu   sync.Mutex
	subs []chan string
}

func (h *hub) Subscribe() chan string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan string)
	h.subs = append(h.subs, ch)
	return ch
}

func (h *hub) Broadcast(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		ch <- msg
	}
}

var h = &hub{}

func main() {
	live := h.Subscribe()
	go func() {
		for m := range live {
			fmt.Println("live got", m)
		}
	}()
	dead := h.Subscribe()
	fmt.Println("first:", func() string { go h.Broadcast("hello"); return <-dead }())
	time.Sleep(time.Millisecond)
	for i := 0; i < 6; i++ {
		go h.Broadcast(fmt.Sprint("msg ", i))
	}
	select {}
}
