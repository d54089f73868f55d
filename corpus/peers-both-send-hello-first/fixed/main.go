package main

import (
	"fmt"
)

type Hello struct {
	Node    string
	Version int
}

type Link struct {
	toA chan Hello
	toB chan Hello
}

func NewLink() *Link {
	return &Link{toA: make(chan Hello, 1), toB: make(chan Hello, 1)}
}

type Peer struct {
	name string
	out  chan<- Hello
	in   <-chan Hello
}

func (p *Peer) Handshake() Hello {
	p.out <- Hello{Node: p.name, Version: 3}
	return <-p.in
}

func main() {
	for i := 0; i < 3; i++ {
		l := NewLink()
		a := &Peer{name: fmt.Sprintf("node-%da", i), out: l.toB, in: l.toA}
		b := &Peer{name: fmt.Sprintf("node-%db", i), out: l.toA, in: l.toB}
		go func() { fmt.Println(a.name, "talks to", a.Handshake().Node) }()
		go func() { fmt.Println(b.name, "talks to", b.Handshake().Node) }()
	}
	select {}
}
