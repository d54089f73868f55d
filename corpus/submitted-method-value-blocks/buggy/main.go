package main

import (
	"fmt"
	"time"
)

type taskPool struct{}

func (taskPool) Submit(f func()) { go f() }

type indexer struct {
	name  string
	reply chan int
}

func (ix *indexer) build() {
	time.Sleep(20 * time.Millisecond)
	ix.reply <- len(ix.name)
}

func rebuild(p taskPool, name string) {
	ix := &indexer{name: name, reply: make(chan int)}
	p.Submit(ix.build)
	select {
	case n := <-ix.reply:
		fmt.Println("built", n)
	case <-time.After(time.Millisecond):
		fmt.Println("gave up on", name)
	}
}

func main() {
	for i := 0; i < 5; i++ {
		rebuild(taskPool{}, fmt.Sprint("idx", i))
	}
	select {}
}
