package a

import (
	"fmt"
	"io"
	"sync"
)

// A goroutine that locks a fresh local object and exits holding the lock (a race test
// that abandons the object): nobody else can reach that mutex, so nobody waits for it.

type probe struct {
	mu sync.Mutex
	n  int
}

func (p *probe) bump() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
}

func probeRace(stop chan struct{}) {
	p := new(probe)
	go func() {
		p.mu.Lock()
		p.n++
	}()
	<-stop
}

// Positives: the object is locked again afterwards, by a goroutine started twice, or
// handed on where others may lock it.

func probeRelock(stop chan struct{}) {
	p := new(probe)
	go func() {
		p.mu.Lock() // want `p.mu is locked here and is still held at the end of the goroutine started at line 37 in probeRelock`
		p.n++
	}()
	<-stop
	p.bump()
}

func probeLoop(stop chan struct{}) {
	p := &probe{}
	for i := 0; i < 2; i++ {
		go func() {
			p.mu.Lock() // want `p.mu is locked here and is still held at the end of the goroutine started at line 48`
			p.n++
		}()
	}
	<-stop
}

func probeShared(stop chan struct{}, all []*probe) []*probe {
	p := new(probe)
	all = append(all, p)
	go func() {
		p.mu.Lock() // want `p.mu is locked here and is still held at the end of the goroutine started at line 59`
		p.n++
	}()
	<-stop
	return all
}

// Formatted by fmt in another goroutine: String reads no locked state, so it is silent;
// a String that locks the mutex waits for it forever.

type tag struct {
	mu   sync.Mutex
	name string
}

func (t *tag) String() string { return t.name }

type guardedTag struct {
	mu   sync.Mutex
	name string
}

func (t *guardedTag) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.name
}

func tagRace(done chan struct{}) {
	t := new(tag)
	go func() {
		fmt.Fprintf(io.Discard, "%v", t)
		done <- struct{}{}
	}()
	go func() {
		t.mu.Lock()
		done <- struct{}{}
	}()
}

func guardedTagRace(done chan struct{}) {
	t := new(guardedTag)
	go func() {
		fmt.Fprintf(io.Discard, "%v", t)
		done <- struct{}{}
	}()
	go func() {
		t.mu.Lock() // want `t.mu is locked here and is still held at the end of the goroutine started at line 106`
		done <- struct{}{}
	}()
}
