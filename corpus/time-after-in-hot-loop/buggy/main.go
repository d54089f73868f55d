package main

import (
	"fmt"
	"time"
)

func consume(msgs <-chan int) int {
	n := 0
	for {
		select {
		case _, ok := <-msgs:
			if !ok {
				return n
			}
			n++
		case <-time.After(time.Hour):
			return n
		}
	}
}

func main() {
	msgs := make(chan int, 1024)
	go func() {
		for i := 0; i < 60000; i++ {
			msgs <- i
		}
		close(msgs)
	}()
	fmt.Println(consume(msgs))
	select {}
}
