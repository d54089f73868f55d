package main

import (
	"fmt"
	"sync"
)

type Event struct {
	Kind string
	ID   int
}

type Bus struct {
	mu   sync.Mutex
	subs map[int]chan Event
	next int
}

func NewBus() *Bus { return &Bus{subs: map[int]chan Event{}} }

func (b *Bus) Subscribe() (int, <-chan Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan Event, 8)
	b.subs[b.next] = ch
	return b.next, ch
}

func (b *Bus) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ch, ok := b.subs[id]; ok {
		close(ch)
	}
	delete(b.subs, id)
}

func (b *Bus) Publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

func main() {
	bus := NewBus()
	for i := 0; i < 5; i++ {
		id, ch := bus.Subscribe()
		go func(name string) {
			for ev := range ch {
				fmt.Println(name, ev.Kind, ev.ID)
			}
		}(fmt.Sprintf("listener-%d", i))
		bus.Publish(Event{Kind: "created", ID: i})
		bus.Unsubscribe(id)
	}
	select {}
}
