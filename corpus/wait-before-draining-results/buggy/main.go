package main

import (
	"fmt"
	"sync"
)

func hashAll(files []string) []string {
	results := make(chan string)
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			results <- "hash(" + f + ")"
		}(f)
	}
	wg.Wait()
	close(results)
	var out []string
	for r := range results {
		out = append(out, r)
	}
	return out
}

func main() {
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(hashAll([]string{"a", "b"})) }()
	}
	select {}
}
