package main

import (
	"fmt"
	"strings"
	"sync"
)

func findGo(paths []string) []string {
	var wg sync.WaitGroup
	found := make(chan string, len(paths))
	for _, p := range paths {
		wg.Go(func() {
			if strings.HasSuffix(p, ".go") {
				found <- p
			}
		})
	}
	wg.Wait()
	close(found)
	var out []string
	for p := range found {
		out = append(out, p)
	}
	return out
}

func main() {
	for i := 0; i < 5; i++ {
		go func() { fmt.Println(findGo([]string{"a.go", "b.txt", "c.go"})) }()
	}
	select {}
}
