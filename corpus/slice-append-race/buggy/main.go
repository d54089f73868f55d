package main

import (
	"fmt"
	"sync"
)

func collect(names []string) []string {
	var out []string
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func(n string) {
			defer wg.Done()
			out = append(out, "hello "+n)
		}(n)
	}
	wg.Wait()
	return out
}

func main() {
	fmt.Println(len(collect([]string{"a", "b", "c", "d"})))
	select {}
}
