package main

import (
	"fmt"
	"sync"
)

type Notifier interface {
	Notify(topic string, queued int)
}

type Hub struct {
	mu       sync.Mutex
	topics   map[string][]string
	counts   map[string]int
	notifier Notifier
}

func NewHub() *Hub {
	h := &Hub{topics: map[string][]string{}, counts: map[string]int{}}
	h.notifier = h
	return h
}

// Notify records how many messages wait on a topic; the hub is its own notifier.
func (h *Hub) Notify(topic string, queued int) {
	h.mu.Lock()
	h.counts[topic] = queued
	h.mu.Unlock()
}

func (h *Hub) Publish(topic, msg string) {
	h.mu.Lock()
	h.topics[topic] = append(h.topics[topic], msg)
	n := len(h.topics[topic])
	h.notifier.Notify(topic, n)
	h.mu.Unlock()
}

func (h *Hub) Drain(topic string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	msgs := h.topics[topic]
	delete(h.topics, topic)
	return msgs
}

func main() {
	for tenant := 0; tenant < 5; tenant++ {
		h := NewHub()
		go func(t int) {
			h.Publish("orders", fmt.Sprintf("order from tenant %d", t))
			fmt.Println(len(h.Drain("orders")))
		}(tenant)
	}
	select {}
}
