package main

import (
	"fmt"
	"time"
)

func compute(n int, out chan<- int) {
	time.Sleep(20 * time.Millisecond)
	out <- n * 2
}

func withTimeout(n int) (int, bool) {
	out := make(chan int)
	go compute(n, out)
	select {
	case v := <-out:
		return v, true
	case <-time.After(2 * time.Millisecond):
		return 0, false
	}
}

func main() {
	for i := 0; i < 6; i++ {
		fmt.Println(withTimeout(i))
	}
	select {}
}
