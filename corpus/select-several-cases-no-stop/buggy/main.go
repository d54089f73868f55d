package main

import (
	"fmt"
	"time"
)

type batcher struct {
	in    chan int
	flush chan chan []int
	stop  chan struct{}
}

func newBatcher() *batcher {
	b := &batcher{in: make(chan int), flush: make(chan chan []int), stop: make(chan struct{})}
	go b.run()
	return b
}

func (b *batcher) run() {
	var buf []int
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case v := <-b.in:
			buf = append(buf, v)
		case reply := <-b.flush:
			reply <- buf
			buf = nil
		case <-tick.C:
			buf = nil
		}
	}
}

func (b *batcher) Close() { close(b.stop) }

func main() {
	for i := 0; i < 5; i++ {
		b := newBatcher()
		b.in <- i
		reply := make(chan []int)
		b.flush <- reply
		fmt.Println(<-reply)
		b.Close()
	}
	select {}
}
