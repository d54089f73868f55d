package main

import (
	"fmt"
	"sync"
	"time"
)

func squares(n int) []int {
	out := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			time.Sleep(20 * time.Millisecond) // start-up latency of the worker
			defer wg.Done()
			out[i] = i * i
		}(i)
	}
	wg.Wait()
	return out
}

func main() {
	fmt.Println(squares(3))
	select {}
}
