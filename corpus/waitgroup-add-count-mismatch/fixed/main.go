package main

import (
	"fmt"
	"sync"
)

func processAll(items []int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for _, it := range items {
		if it < 0 {
			continue
		}
		wg.Add(1)
		go func(it int) {
			defer wg.Done()
			mu.Lock()
			total += it
			mu.Unlock()
		}(it)
	}
	wg.Wait()
	return total
}

func main() {
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(processAll([]int{1, -2, 3})) }()
	}
	select {}
}
