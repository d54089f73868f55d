package main

import (
	"fmt"
	"sync"
)

func squares(nums []int, report func(int)) {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, n := range nums {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			results <- n * n
		}(n)
	}
	go func() {
		sum := 0
		for r := range results {
			sum += r
		}
		report(sum)
	}()
}

func main() {
	for i := 0; i < 5; i++ {
		squares([]int{1, 2, 3}, func(s int) { fmt.Println(s) })
	}
	select {}
}
