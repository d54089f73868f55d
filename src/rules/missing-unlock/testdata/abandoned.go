package a

import "sync"

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
		p.mu.Lock() // want `p.mu is locked here and is still held at the end of the goroutine started at line 33 in probeRelock`
		p.n++
	}()
	<-stop
	p.bump()
}

func probeLoop(stop chan struct{}) {
	p := &probe{}
	for i := 0; i < 2; i++ {
		go func() {
			p.mu.Lock() // want `p.mu is locked here and is still held at the end of the goroutine started at line 44`
			p.n++
		}()
	}
	<-stop
}

func probeShared(stop chan struct{}, all []*probe) []*probe {
	p := new(probe)
	all = append(all, p)
	go func() {
		p.mu.Lock() // want `p.mu is locked here and is still held at the end of the goroutine started at line 55`
		p.n++
	}()
	<-stop
	return all
}
