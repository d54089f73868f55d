package main

import (
	"fmt"
	"time"
)

func square(n int) int {
	results := make(chan int, 1)
	go func() {
		results <- n * n
	}()
	select {
	case r := <-results:
		return r
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}

func main() {
	for i := 0; i < 3; i++ {
		fmt.Println(square(i))
	}
	select {}
}
