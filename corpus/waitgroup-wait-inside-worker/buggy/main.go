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
				wg.Wait()
				fmt.Println("all tasks done")
			}
		}(t)
	}
	wg.Wait()
}

func main() {
	go runAll([]string{"a", "b", "final"})
	select {}
}
