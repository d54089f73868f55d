package main

import (
	"fmt"
	"sync"
	"time"
)

type Hub struct {
	mu   sync.Mutex
	subs map[int]chan string
}

func (h *Hub) Subscribe(id int) <-chan string {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan string)
	h.subs[id] = ch
	return ch
}

func (h *Hub) Unsubscribe(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ch, ok := h.subs[id]; ok {
		close(ch)
		delete(h.subs, id)
	}
}

func (h *Hub) Broadcast(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.subs {
		ch <- msg
	}
}

func subscriber(h *Hub, id int, ch <-chan string) {
	for msg := range ch {
		fmt.Println("subscriber", id, "got", msg)
		if msg == "maintenance" {
			time.Sleep(10 * time.Millisecond) // save the read marker
			go h.Unsubscribe(id)
			for range ch {
			}
			return
		}
	}
}

func main() {
	for i := 0; i < 3; i++ {
		h := &Hub{subs: map[int]chan string{}}
		msgs := h.Subscribe(1)
		go subscriber(h, 1, msgs)
		go func() {
			h.Broadcast("maintenance")
			h.Broadcast("back online")
		}()
	}
	select {}
}
