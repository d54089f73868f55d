package main

import (
	"fmt"
	"time"
)

func consume(msgs <-chan int) int {
	n := 0
	idle := time.NewTimer(time.Hour)
	for {
		idle.Reset(time.Hour)
		select {
		case _, ok := <-msgs:
			if !ok {
				return n
			}
			n++
		case <-idle.C:
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
