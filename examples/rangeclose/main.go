// Command rangeclose shows a consumer that ranges over a channel the producer
// never closes (seed chapter 2.2, "range遍历未关闭的channel").
package main

import (
	"fmt"
	"time"
)

// produce sends the squares but forgets close(out).
func produce(n int) <-chan int {
	out := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			out <- i * i
		}
	}()
	return out
}

// sum ranges until out is closed, which never happens: the goroutine running
// sum blocks forever after the last value.
func sum(n int, result chan<- int) {
	total := 0
	for v := range produce(n) {
		total += v
	}
	result <- total
}

func main() {
	result := make(chan int, 1)
	go sum(4, result)
	select {
	case t := <-result:
		fmt.Println("total:", t)
	case <-time.After(100 * time.Millisecond):
		fmt.Println("sum never finished: the producer did not close its channel")
	}
}
