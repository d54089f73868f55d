package main

import (
	"fmt"
	"time"
)

type Sink interface {
	Put(v int)
}

type chanSink struct {
	ch chan int
}

func (s chanSink) Put(v int) {
	s.ch <- v
}

func produce(s Sink, n int) {
	for i := 0; i < n; i++ {
		s.Put(i)
	}
}

func firstOnly() int {
	time.Sleep(time.Millisecond)
	s := chanSink{ch: make(chan int)}
	go produce(s, 3)
	return <-s.ch
}

func main() {
	for i := 0; i < 5; i++ {
		fmt.Println(firstOnly())
	}
	select {}
}
