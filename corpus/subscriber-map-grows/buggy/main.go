package main

import (
	"fmt"
	"sync"
)

type broker struct {
	mu   sync.Mutex
	next int
	subs map[int]chan string
}

var events = &broker{subs: map[int]chan string{}}

func (b *broker) Subscribe() (int, chan string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan string, 1024)
	b.subs[b.next] = ch
	return b.next, ch
}

func (b *broker) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

func (b *broker) Publish(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- s:
		default:
		}
	}
}

func handle(i int) string {
	id, ch := events.Subscribe()
	_ = id
	events.Publish(fmt.Sprint("hello ", i))
	return <-ch
}

func main() {
	for i := 0; i < 300; i++ {
		_ = handle(i)
	}
	fmt.Println("done")
	select {}
}
