package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

var processed int64

func work(items []int, wg *sync.WaitGroup) {
	defer wg.Done()
	for range items {
		atomic.AddInt64(&processed, 1)
	}
}

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go work([]int{1, 2, 3}, &wg)
	}
	wg.Wait()
	fmt.Println(atomic.LoadInt64(&processed))
	select {}
}
