package main

import (
	"fmt"
	"sync"
)

func runAll(tasks []string) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func(t string) {
			defer wg.Done()
			fmt.Println("task", t)
			if t == "final" {
				fmt.Println("all tasks done")
			}
		}(t)
	}
	wg.Wait()
	fmt.Println("all tasks done")
}

func main() {
	go runAll([]string{"a", "b", "final"})
	select {}
}
