// Registries kept in a map field of a struct whose only instance is a package-level
// variable: they grow when every removal sits in code that never runs.
package main

import (
	"fmt"
	"sync"
)

type emitter struct {
	mu        sync.Mutex
	listeners map[int]func(string)
	next      int
}

var onReload = &emitter{listeners: map[int]func(string){}} // want `package-level "onReload" holds the only emitter, whose map "listeners" only grows: .* the only removal \(line \d+\) is in code that never runs \(the function literal at line \d+ is never called\)`

// On returns the function that removes the listener; handle drops it.
func (e *emitter) On(f func(string)) (off func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.next++
	id := e.next
	e.listeners[id] = f
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.listeners, id)
	}
}

type broker struct {
	mu   sync.Mutex
	next int
	subs map[int]chan string
}

var events = &broker{subs: map[int]chan string{}} // want `package-level "events" holds the only broker, whose map "subs" only grows: .* \(.* is never called\)`

func (b *broker) Subscribe() (int, chan string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	ch := make(chan string, 1)
	b.subs[b.next] = ch
	return b.next, ch
}

// Nobody calls this method.
func (b *broker) Unsub(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

type pool struct {
	mu    sync.Mutex
	conns map[string]int
}

var conns = &pool{conns: map[string]int{}}

// acquire and release (negative): release runs.
func (p *pool) acquire(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[k]++
	p.conns[k] = 1
}

func (p *pool) release(k string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, k)
}

type cache struct {
	items map[string]string
}

// two instances (negative): the map of a local cache dies with it.
var shared = &cache{items: map[string]string{}}

func fill(k string) {
	c := &cache{items: map[string]string{}}
	c.items[k] = k
	shared.items[k] = k
	fmt.Println(len(c.items))
}

type hub struct {
	peers map[int]string
}

var theHub = &hub{peers: map[int]string{}}

// handed out (negative): the map goes somewhere the rule does not follow.
func (h *hub) add(id int) {
	h.peers[id] = "x"
	forget(h.peers)
}

func forget(m map[int]string) {
	for k := range m {
		delete(m, k)
	}
}

type builders struct {
	byName map[string]func() int
}

var registry = &builders{byName: map[string]func() int{}}

// register (negative): no removal at all — a registration table bounded by design.
func register(name string, f func() int) { registry.byName[name] = f }

func handle(i int) {
	register(fmt.Sprint("b", i%2), func() int { return i })
	off := onReload.On(func(s string) { fmt.Println(s, i) })
	_ = off
	_, ch := events.Subscribe()
	_ = ch
	conns.acquire("a")
	conns.release("a")
	fill("k")
	theHub.add(i)
}

func main() {
	for i := 0; i < 10; i++ {
		handle(i)
	}
}
